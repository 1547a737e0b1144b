"""stomp.py calling the application's @MessageMapping methods: a SEND to /app/... is handled
by a controller, its RECEIPT comes after the handler returned, and the @SendToUser reply
reaches this client's /user/queue/... subscription.

Usage: /usr/bin/python3 stomp_py_message_mapping.py PORT LOGIN
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
            self.messages.append((frame.headers.get('destination'), frame.body))
            self.changed.notify_all()

    def on_receipt(self, frame):
        with self.changed:
            self.receipts.append(frame.headers['receipt-id'])
            self.changed.notify_all()

    def on_error(self, frame):
        with self.changed:
            self.errors.append(frame.headers.get('message'))
            self.changed.notify_all()

    def await_until(self, condition, timeout=10):
        with self.changed:
            return self.changed.wait_for(lambda: condition() or self.errors, timeout) and condition()


def main():
    port, login = int(sys.argv[1]), sys.argv[2]
    conn = stomp.Connection12([('127.0.0.1', port)])
    listener = Listener()
    conn.set_listener('app', listener)
    conn.connect(login, 'secret', wait=True)
    conn.subscribe(destination='/user/queue/whoami', id='me', headers={'receipt': 'sub-1'})
    if not listener.await_until(lambda: 'sub-1' in listener.receipts):
        print("FAIL no RECEIPT for SUBSCRIBE: errors %r" % listener.errors)
        return 1
    conn.send(destination='/app/whoami', body='', headers={'receipt': 'send-1'})
    if not listener.await_until(lambda: 'send-1' in listener.receipts and listener.messages):
        print("FAIL no reply: messages %r receipts %r errors %r"
              % (listener.messages, listener.receipts, listener.errors))
        return 1
    for destination, body in listener.messages:
        print("reply on %s: %s" % (destination, body))
    conn.send(destination='/app/greet/py', body='hello', headers={'x-mood': 'calm', 'receipt': 'send-2'})
    conn.send(destination='/app/fail', body='', headers={'receipt': 'send-3'})
    if not listener.await_until(lambda: len(listener.errors) > 0):
        print("FAIL no ERROR for the failing handler: receipts %r" % listener.receipts)
        return 1
    print("OK receipt send-2" if 'send-2' in listener.receipts else "FAIL no receipt send-2")
    print("error: %s" % listener.errors[0])
    return 0


if __name__ == '__main__':
    sys.exit(main())
