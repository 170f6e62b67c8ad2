package com.pdprime.realtime.rooms;

import jakarta.json.JsonObject;

/**
 * The answer to a batch, REST's or the publish queue's: {@code {stored, refused, results}} or a
 * refusal of the whole; {@code replayed} when it is the answer to an earlier batch sent with the
 * same idempotency key (REST's {@code Idempotent-Replayed} header, the queue's {@code
 * IdempotentReplayed} property).
 */
record BatchAnswer(JsonObject body, boolean replayed) {
  static BatchAnswer refused(PublishRefused refused) {
    return new BatchAnswer(EventBatch.refusal(refused), false);
  }
}
