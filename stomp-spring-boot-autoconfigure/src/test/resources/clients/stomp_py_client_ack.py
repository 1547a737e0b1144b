"""stomp.py with ack='client': sends one message, receives it, and acknowledges it by the
MESSAGE's ack header (STOMP 1.2) with a receipt, or leaves it un-acknowledged.

Usage: /usr/bin/python3 stomp_py_client_ack.py PORT DESTINATION BODY ack|noack
"""
import sys
import threading

import stomp


class Listener(stomp.ConnectionListener):
    def __init__(self):
        self.messages = []
        self.receipts = []
        self.errors = []
        self.changed = threading.Condition()

    def on_message(self, frame):
        with self.changed:
            self.messages.append(frame)
            self.changed.notify_all()

    def on_receipt(self, frame):
        with self.changed:
            self.receipts.append(frame.headers['receipt-id'])
            self.changed.notify_all()

    def on_error(self, frame):
        with self.changed:
            self.errors.append(frame.headers.get('message'))
            self.changed.notify_all()

    def await_that(self, condition, timeout=10):
        with self.changed:
            return self.changed.wait_for(lambda: condition() or self.errors, timeout) and not self.errors


def main():
    port, destination, body, mode = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    conn = stomp.Connection12([('127.0.0.1', port)])
    listener = Listener()
    conn.set_listener('client-ack', listener)
    conn.connect(wait=True)
    conn.send(destination=destination, body=body)
    conn.subscribe(destination=destination, id='ack-sub', ack='client')
    if not listener.await_that(lambda: listener.messages):
        print("FAIL no MESSAGE: errors %r" % listener.errors)
        return 1
    message = listener.messages[0]
    print("received %s ack=%s" % (message.body, message.headers.get('ack')))
    if message.body != body or 'ack' not in message.headers:
        print("FAIL unexpected MESSAGE %r %r" % (message.headers, message.body))
        return 1
    if mode == 'ack':
        conn.ack(message.headers['ack'], receipt='ack-1')
        if not listener.await_that(lambda: 'ack-1' in listener.receipts):
            print("FAIL no RECEIPT for ACK: errors %r" % listener.errors)
            return 1
        print("OK acked %s" % message.headers['ack'])
    else:
        print("OK left un-acked")
    conn.disconnect()
    return 0


if __name__ == '__main__':
    sys.exit(main())
