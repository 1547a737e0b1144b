# Perl's Net::Stomp (Debian libnet-stomp-perl), connecting as STOMP 1.0: send, subscribe
# with ack:client, receive, ACK, DISCONNECT.
#
# Usage: perl perl_round_trip.pl PORT DESTINATION
use strict;
use warnings;
use Net::Stomp;

my ($port, $destination) = @ARGV;
print "Net::Stomp $Net::Stomp::VERSION\n";
my $stomp = Net::Stomp->new({ hostname => '127.0.0.1', port => $port });
$stomp->connect({ login => 'guest', passcode => 'guest' });
$stomp->send({ destination => $destination, body => 'hello from perl', 'app-header' => 'perl' });
$stomp->subscribe({ destination => $destination, ack => 'client' });
my $frame = $stomp->receive_frame({ timeout => 10 });
if (!$frame) {
	print "FAIL no frame\n";
	exit 1;
}
print 'received ', $frame->command, ' ', $frame->body, "\n";
if ($frame->command ne 'MESSAGE' || $frame->body ne 'hello from perl'
		|| ($frame->headers->{'app-header'} // '') ne 'perl') {
	print "FAIL unexpected frame\n";
	exit 1;
}
$stomp->ack({ frame => $frame });
$stomp->disconnect;
print "OK round trip\n";
