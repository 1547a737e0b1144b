<?php
/*
 * PHP Stomp sends one message with a receipt, so it is in the broker when this exits.
 *
 * Usage: php php_send.php PORT DESTINATION BODY_HEX [HEADER=VALUE ...]
 */
$stomp = new Stomp('tcp://127.0.0.1:' . $argv[1]);
$headers = array('receipt' => 'php-send-1');
foreach (array_slice($argv, 4) as $header) {
	list($name, $value) = explode('=', $header, 2);
	$headers[$name] = $value;
}
if (!$stomp->send($argv[2], hex2bin($argv[3]), $headers)) {
	echo 'FAIL no RECEIPT: ' . $stomp->error() . "\n";
	exit(1);
}
unset($stomp);
echo "OK sent\n";
