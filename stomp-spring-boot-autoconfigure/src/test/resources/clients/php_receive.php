<?php
/*
 * PHP Stomp, connected as in the seed example (STOMP 1.0, ack:client), receives one message
 * and acknowledges it; exits 0 if its body is the expected bytes.
 *
 * Usage: php php_receive.php PORT DESTINATION EXPECTED_BODY_HEX
 */
$stomp = new Stomp('tcp://127.0.0.1:' . $argv[1]);
$stomp->setReadTimeout(10);
$stomp->subscribe($argv[2]);
$frame = $stomp->readFrame();
if (!($frame instanceof StompFrame)) {
	echo "FAIL no frame\n";
	exit(1);
}
echo 'received ' . $frame->command . ' ' . bin2hex($frame->body) . "\n";
if ($frame->command !== 'MESSAGE' || bin2hex($frame->body) !== $argv[3]) {
	echo "FAIL expected body " . $argv[3] . "\n";
	exit(1);
}
$stomp->ack($frame);
unset($stomp);
echo "OK received\n";
