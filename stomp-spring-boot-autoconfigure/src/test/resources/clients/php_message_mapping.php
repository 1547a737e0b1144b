<?php
/*
 * PHP Stomp calling the application's @MessageMapping methods: a SEND to /app/... with a
 * receipt returns once the controller handled it, and the @SendToUser reply arrives on this
 * client's /user/queue/... subscription.
 *
 * Usage: php php_message_mapping.php PORT LOGIN
 */
function check($ok, $what) {
	if (!$ok) {
		echo "FAIL $what\n";
		exit(1);
	}
	echo "OK $what\n";
}

try {
	$stomp = new Stomp('tcp://127.0.0.1:' . $argv[1], $argv[2], 'secret',
		array('accept-version' => '1.2', 'host' => 'localhost'));
} catch (StompException $e) {
	echo 'FAIL connect: ' . $e->getMessage() . "\n";
	exit(1);
}
$stomp->setReadTimeout(5);
check($stomp->subscribe('/user/queue/whoami', array('id' => 'me', 'receipt' => 'sub-1')), 'receipt sub-1');
check($stomp->send('/app/whoami', '', array('receipt' => 'send-1')), 'receipt send-1');
$frame = $stomp->readFrame();
check($frame instanceof StompFrame && $frame->command === 'MESSAGE', 'reply is a MESSAGE');
echo 'reply on ' . $frame->headers['destination'] . ': ' . $frame->body . "\n";
unset($stomp);
echo "DONE\n";
