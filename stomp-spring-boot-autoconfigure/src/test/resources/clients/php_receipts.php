<?php
/*
 * PHP Stomp on STOMP 1.2 with receipts: every call that carries a 'receipt' header waits
 * for its RECEIPT and returns true. Three messages wait in the queue before SUBSCRIBE, so
 * MESSAGE frames arrive back to back and ahead of the SUBSCRIBE's RECEIPT (the extension
 * keeps them for readFrame()). ack($frame) copies the MESSAGE's headers: message-id and
 * subscription, but not the 1.2 'id'.
 *
 * Usage: php php_receipts.php PORT DESTINATION
 */
function check($ok, $what) {
	if (!$ok) {
		echo "FAIL $what\n";
		exit(1);
	}
	echo "OK $what\n";
}

$destination = $argv[2];
try {
	$stomp = new Stomp('tcp://127.0.0.1:' . $argv[1], 'guest', 'guest',
		array('accept-version' => '1.2', 'host' => 'localhost'));
} catch (StompException $e) {
	echo 'FAIL connect: ' . $e->getMessage() . "\n";
	exit(1);
}
$stomp->setReadTimeout(5);
for ($i = 1; $i <= 3; $i++) {
	check($stomp->send($destination, "message $i", array('receipt' => "send-$i")), "receipt send-$i");
}
check($stomp->subscribe($destination, array('id' => 'php-sub', 'ack' => 'client-individual',
	'receipt' => 'subscribe-1')), 'receipt subscribe-1');
for ($i = 1; $i <= 3; $i++) {
	$frame = $stomp->readFrame();
	check($frame instanceof StompFrame && $frame->command === 'MESSAGE', "frame $i is a MESSAGE");
	check($frame->body === "message $i", "body of frame $i is 'message $i' (got '" . $frame->body . "')");
	check($stomp->ack($frame, array('receipt' => "ack-$i")), "receipt ack-$i");
}
check($stomp->unsubscribe($destination, array('id' => 'php-sub', 'receipt' => 'unsubscribe-1')),
	'receipt unsubscribe-1');
unset($stomp);
echo "DONE\n";
