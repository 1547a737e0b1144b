"""The stomp.py demo of the seed article (written for stomp.py 4.1.20), on Debian's stomp.py 8.

Usage: /usr/bin/python3 stomp_py_demo.py PORT
Exits 0 once the listener received the JSON message it sent to TEST_ENGINE, 1 otherwise.
stomp.py 5+ changed two things the seed relies on: listeners get one Frame instead of
(headers, message), and Connection.start() is gone (connect() starts the receiver).
"""
import json
import sys
import threading

import stomp


def default_call_back(headers, message):
    print("******************Receive New Data******************")
    print(message)
    print("****************************************************")


class MyListener(stomp.ConnectionListener):
    def __init__(self, callback):
        self.callback = callback

    def on_error(self, frame):
        print('received an error %s' % frame.body)

    def on_message(self, frame):
        print('received a headers %s' % frame.headers)
        print('received a message %s' % frame.body)
        self.callback(frame.headers, frame.body)


class MessSendOrRecv(object):
    def __init__(self, ip='127.0.0.1', port=61613, callback=None):
        print("stomp init")
        self.conn = stomp.Connection12([(ip, port)])
        call_back = callback if callback else default_call_back
        self.conn.set_listener('logicServerQueue', MyListener(callback=call_back))
        self.conn.connect(wait=True)
        print("ip: {0}, port: {1} ,connected!".format(ip, port))

    def send_message(self, destination="QLOUD_TEST_ENGINE", message=b"test",
                     headers={'send_id': '123456', 'content_type': 'text/plain'}):
        self.conn.send(body=json.dumps(message), destination=destination, headers=headers)

    def recv_message(self, destination="QLOUD_TEST_ENGINE", headers=None, subscription_id=None):
        self.conn.subscribe(destination=destination, headers=headers, id=subscription_id, ack='auto')

    def disconnect(self):
        self.conn.disconnect()


def main():
    port = int(sys.argv[1])
    print("stomp.py %s" % '.'.join(str(part) for part in stomp.__version__))
    received = []
    arrived = threading.Event()

    def on_data(headers, message):
        received.append((headers, message))
        arrived.set()

    stompmess = MessSendOrRecv(ip="127.0.0.1", port=port, callback=on_data)
    headers = {'send_id': 123456}
    msg = {"order": "1"}
    stompmess.recv_message(destination='TEST_ENGINE', subscription_id=9527, headers=headers)
    stompmess.send_message(destination='TEST_ENGINE', message=msg,
                           headers={'send_id': 123, 'content-text': 'application/json'})
    if not arrived.wait(10):
        print("FAIL no message within 10 s")
        stompmess.disconnect()
        return 1
    stompmess.disconnect()
    headers, body = received[0]
    if json.loads(body) != msg:
        print("FAIL body %r" % body)
        return 1
    if headers.get('send_id') != '123' or headers.get('subscription') != '9527':
        print("FAIL headers %r" % headers)
        return 1
    print("OK demo round trip")
    return 0


if __name__ == '__main__':
    sys.exit(main())
