"""stomp.py sends one message and waits for its RECEIPT, so it is in the broker when this exits.

Usage: /usr/bin/python3 stomp_py_send.py PORT DESTINATION BODY_HEX [HEADER=VALUE ...]
The body is given in hex so that any bytes (UTF-8, NUL) survive the command line.
"""
import sys
import threading

import stomp


class Listener(stomp.ConnectionListener):
    def __init__(self):
        self.done = threading.Event()
        self.receipt = None
        self.error = None

    def on_receipt(self, frame):
        self.receipt = frame.headers['receipt-id']
        self.done.set()

    def on_error(self, frame):
        self.error = frame.headers.get('message')
        self.done.set()


def main():
    port, destination, body = int(sys.argv[1]), sys.argv[2], bytes.fromhex(sys.argv[3])
    headers = dict(arg.split('=', 1) for arg in sys.argv[4:])
    headers['receipt'] = 'sent-1'
    conn = stomp.Connection12([('127.0.0.1', port)], auto_decode=False)
    listener = Listener()
    conn.set_listener('send', listener)
    conn.connect(wait=True)
    conn.send(destination=destination, body=body, headers=headers)
    if not listener.done.wait(10) or listener.receipt != 'sent-1':
        print("FAIL no RECEIPT: error %r" % listener.error)
        return 1
    conn.disconnect()
    print("OK sent %d bytes" % len(body))
    return 0


if __name__ == '__main__':
    sys.exit(main())
