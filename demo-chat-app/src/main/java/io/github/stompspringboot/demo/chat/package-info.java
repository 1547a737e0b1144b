/**
 * The chat demo: rooms, presence, history and private messages on the embedded STOMP
 * broker.
 */
@NullMarked
package io.github.stompspringboot.demo.chat;

import org.jspecify.annotations.NullMarked;
