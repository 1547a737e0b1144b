# Ruby's stomp gem (Debian ruby-stomp): STOMP 1.2 send, subscribe with client-individual
# acks, receive, ACK by the MESSAGE's ack header, DISCONNECT with a receipt.
#
# Usage: ruby ruby_round_trip.rb PORT DESTINATION
require 'stomp'
require 'timeout'

port = Integer(ARGV[0])
destination = ARGV[1]
puts "ruby-stomp #{Stomp::Version::STRING}"
conn = Stomp::Connection.new(hosts: [{ login: 'guest', passcode: 'guest', host: '127.0.0.1', port: port }],
                             connect_headers: { 'accept-version' => '1.2', 'host' => 'localhost' },
                             reliable: false, connect_timeout: 5)
conn.publish(destination, 'hello from ruby', 'app-header' => 'ruby')
conn.subscribe(destination, 'id' => 'ruby-sub', 'ack' => 'client-individual')
message = Timeout.timeout(10) { conn.receive }
puts "received #{message.command} #{message.body} #{message.headers.inspect}"
unless message.command == 'MESSAGE' && message.body == 'hello from ruby' && message.headers['app-header'] == 'ruby'
  puts 'FAIL unexpected frame'
  exit 1
end
conn.ack(message.headers['ack'])
conn.disconnect('receipt' => 'bye')
puts 'OK round trip'
