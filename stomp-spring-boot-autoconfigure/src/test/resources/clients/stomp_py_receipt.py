"""stomp.py receipts: SEND, SUBSCRIBE and DISCONNECT each answered by the RECEIPT they asked for.

Usage: /usr/bin/python3 stomp_py_receipt.py PORT DESTINATION
"""
import sys
import threading

import stomp


class ReceiptListener(stomp.ConnectionListener):
    def __init__(self):
        self.receipts = []
        self.errors = []
        self.changed = threading.Condition()

    def on_receipt(self, frame):
        with self.changed:
            self.receipts.append(frame.headers['receipt-id'])
            self.changed.notify_all()

    def on_error(self, frame):
        with self.changed:
            self.errors.append(frame.headers.get('message'))
            self.changed.notify_all()

    def await_receipt(self, receipt_id, timeout=10):
        with self.changed:
            return self.changed.wait_for(lambda: receipt_id in self.receipts or self.errors, timeout) \
                and receipt_id in self.receipts


def main():
    port, destination = int(sys.argv[1]), sys.argv[2]
    conn = stomp.Connection12([('127.0.0.1', port)])
    listener = ReceiptListener()
    conn.set_listener('receipts', listener)
    conn.connect(wait=True)
    conn.send(destination=destination, body='with receipt', headers={'receipt': 'send-1'})
    if not listener.await_receipt('send-1'):
        print("FAIL no RECEIPT for SEND: receipts %r errors %r" % (listener.receipts, listener.errors))
        return 1
    print("OK receipt send-1")
    conn.subscribe(destination=destination, id='sub-1', headers={'receipt': 'subscribe-1'})
    if not listener.await_receipt('subscribe-1'):
        print("FAIL no RECEIPT for SUBSCRIBE: receipts %r errors %r" % (listener.receipts, listener.errors))
        return 1
    print("OK receipt subscribe-1")
    # disconnect() sends its own receipt and waits for it
    conn.disconnect(receipt='disconnect-1')
    if 'disconnect-1' not in listener.receipts:
        print("FAIL no RECEIPT for DISCONNECT: receipts %r" % listener.receipts)
        return 1
    print("OK receipt disconnect-1")
    return 0


if __name__ == '__main__':
    sys.exit(main())
