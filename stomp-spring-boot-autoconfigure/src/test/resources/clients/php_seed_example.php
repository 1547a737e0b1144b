<?php
/*
 * The PHP Stomp example of the seed article (PHP manual's example), unchanged but for the
 * broker address: the port comes from the command line instead of localhost:61613.
 *
 * Usage: php php_seed_example.php PORT
 */
$queue = '/queue/foo';
$msg = 'bar';
/* connection */
try {
$stomp = new Stomp('tcp://127.0.0.1:' . $argv[1]);
} catch(StompException $e) {
die('Connection failed: ' . $e->getMessage());
}
/* send a message to the queue 'foo' */
$stomp->send($queue, $msg);
/* subscribe to messages from the queue 'foo' */
$stomp->subscribe($queue);
/* read a frame */
$frame = $stomp->readFrame();
if ($frame->body === $msg) {
var_dump($frame);
/* acknowledge that the frame was received */
$stomp->ack($frame);
}
/* close connection */
unset($stomp);
?>
