package com.pdprime.realtime.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pdprime.realtime.protocol.OutboundFrame;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutboxTest {
  private final FakeAsyncRemote remote = new FakeAsyncRemote();
  private final List<Throwable> failures = new ArrayList<>();
  private final List<Exception> pingFailures = new ArrayList<>();
  private final List<Long> pingsWritten = new ArrayList<>();
  private final Outbox.Owner listener =
      new Outbox.Owner() {
        @Override
        public void pingWritten(long writtenAtNanos) {
          pingsWritten.add(writtenAtNanos);
        }

        @Override
        public void sendFailed(Throwable cause) {
          failures.add(cause);
        }

        @Override
        public void pingFailed(Exception cause) {
          pingFailures.add(cause);
        }
      };
  private final List<Long> written = new ArrayList<>();

  private Outbox outbox(int maxMessages, int maxBytes, int maxBatchBytes) {
    return new Outbox(
        new TextSocket(remote),
        maxMessages,
        maxBytes,
        maxBatchBytes,
        Outbox::drain,
        listener,
        written::add);
  }

  /** An outbox whose writer's turns wait in {@code ready} until the test runs them. */
  private Outbox waitingForTurns(List<Runnable> ready) {
    return new Outbox(
        new TextSocket(remote),
        10,
        1000,
        1000,
        (box, handed) -> ready.add(() -> box.drain(handed)),
        listener,
        written::add);
  }

  private static OutboundFrame frame(String text) {
    return OutboundFrame.of(text);
  }

  @Test
  void aCompletedWriteReportsTheOldestEventItCarriedAndNothingForOtherFrames() {
    Outbox outbox = outbox(10, 1000, 1000);
    outbox.offer(frame("reply"));
    outbox.offer(OutboundFrame.event("e1", 1_000));
    outbox.offer(OutboundFrame.event("e2", 2_000));
    remote.completeOk();
    assertEquals(List.of(), written, "a reply is not an event");
    assertEquals("e1\ne2", remote.sent.get(1));
    remote.completeOk();
    assertEquals(List.of(1_000L), written);
  }

  @Test
  void framesOfferedBeforeTheWritersTurnGoOutTogether() {
    List<Runnable> ready = new ArrayList<>();
    Outbox outbox = waitingForTurns(ready);
    outbox.offer(frame("one"));
    outbox.offer(frame("two"));
    assertEquals(List.of(), remote.sent, "nothing is sent before the writer's turn");
    assertEquals(1, ready.size(), "the outbox is handed to its writer once");
    ready.get(0).run();
    assertEquals(List.of("one\ntwo"), remote.sent);
  }

  @Test
  void aCloseWaitsUntilTheFramesQueuedBeforeItAreWritten() {
    List<Runnable> ready = new ArrayList<>();
    List<String> closes = new ArrayList<>();
    Outbox outbox = waitingForTurns(ready);
    outbox.offer(frame("the error that explains the close"));
    outbox.closeAfterDrain(() -> closes.add("closed"));
    assertEquals(List.of(), closes, "the queued error is not written yet");
    ready.get(0).run();
    assertEquals(List.of(), closes, "the error's write has not completed");
    remote.completeOk();
    assertEquals(List.of("closed"), closes);
  }

  /**
   * The frame rides in the writer's queue, not in the long-lived outbox: no old object points at
   * the young frame, which the collector would have to find by scanning cards.
   */
  @Test
  void aFrameOfferedToAnIdleOutboxTravelsWithTheWritersTurnAndCountsAgainstTheBounds() {
    List<OutboundFrame> handedFrames = new ArrayList<>();
    List<Runnable> ready = new ArrayList<>();
    Outbox outbox =
        new Outbox(
            new TextSocket(remote),
            1,
            1000,
            1000,
            (box, handed) -> {
              handedFrames.add(handed);
              ready.add(() -> box.drain(handed));
            },
            listener,
            written::add);
    OutboundFrame first = frame("first");

    assertTrue(outbox.offer(first));
    assertSame(first, handedFrames.get(0));
    assertEquals(1, outbox.queuedMessages(), "counted while it travels");
    assertEquals(5, outbox.queuedBytes());
    assertFalse(outbox.offer(frame("over the bound of one")));
    ready.remove(0).run();
    assertEquals(List.of(), remote.sent, "refused: the travelling frame is dropped with the queue");
  }

  @Test
  void aFrameTravellingWithATurnIsWrittenBeforeTheFramesQueuedAfterIt() {
    List<Runnable> ready = new ArrayList<>();
    Outbox outbox = waitingForTurns(ready);
    outbox.offer(frame("one"));
    outbox.ping();
    outbox.offer(frame("two"));
    outbox.offer(frame("three"));
    assertEquals(1, ready.size());
    assertEquals(3, outbox.queuedMessages());
    ready.remove(0).run();
    assertEquals(List.of("ping", "one\ntwo\nthree"), remote.sent);
    assertEquals(0, outbox.queuedMessages());
    assertEquals(0, outbox.queuedBytes());
  }

  @Test
  void anAbandonedOutboxDropsTheFrameTravellingWithItsTurnAndClosesAtOnce() {
    List<Runnable> ready = new ArrayList<>();
    List<String> closes = new ArrayList<>();
    Outbox outbox = waitingForTurns(ready);
    outbox.offer(frame("never written"));
    outbox.closeAfterDrain(() -> closes.add("closed"));
    assertEquals(List.of(), closes, "the travelling frame is still to be written");
    outbox.abandon();
    assertEquals(List.of("closed"), closes);
    ready.remove(0).run();
    assertEquals(List.of(), remote.sent);
    assertEquals(0, outbox.queuedMessages());
  }

  @Test
  void aCloseIsImmediateOnceTheQueueWasRefused() {
    List<String> closes = new ArrayList<>();
    Outbox outbox = outbox(1, 1000, 1000);
    outbox.offer(frame("in-flight"));
    outbox.offer(frame("queued"));
    assertFalse(outbox.offer(frame("over the bound")));
    outbox.closeAfterDrain(() -> closes.add("closed"));
    assertEquals(List.of("closed"), closes, "a stalled write must not hold up a 4008 close");
  }

  @Test
  void aWriteInFlightReportsHowLongItHasWaitedUntilItCompletes() {
    Outbox outbox = outbox(10, 1000, 1000);
    assertEquals(0, outbox.nanosWriting(System.nanoTime()), "nothing in flight");
    long before = System.nanoTime();
    outbox.offer(frame("never read"));
    long waited = outbox.nanosWriting(before + 5_000_000_000L);
    assertTrue(waited > 4_000_000_000L && waited <= 5_000_000_000L, "waited " + waited);
    remote.completeOk();
    assertEquals(0, outbox.nanosWriting(System.nanoTime() + 5_000_000_000L), "completed");
  }

  @Test
  void abandoningAStalledWriteRunsTheCloseWaitingBehindItAndEndsTheOutbox() {
    List<String> closes = new ArrayList<>();
    Outbox outbox = outbox(10, 1000, 1000);
    outbox.offer(frame("never read"));
    outbox.offer(frame("queued behind it"));
    outbox.closeAfterDrain(() -> closes.add("closed"));
    assertEquals(List.of(), closes, "the close waits for the write in flight");
    outbox.abandon();
    assertEquals(List.of("closed"), closes);
    assertEquals(0, outbox.nanosWriting(System.nanoTime() + 5_000_000_000L), "reported once");
    assertFalse(outbox.offer(frame("after")), "nothing more is queued");
    remote.completeOk();
    assertEquals(List.of("never read"), remote.sent, "nothing more is written");
    assertEquals(List.of("closed"), closes, "the close runs once");
  }

  @Test
  void firstFrameIsSentImmediately() {
    Outbox outbox = outbox(10, 1000, 1000);
    assertTrue(outbox.offer(frame("one")));
    assertEquals(List.of("one"), remote.sent);
    assertEquals(0, outbox.queuedMessages());
  }

  @Test
  void onlyOneSendIsInFlightAtATime() {
    Outbox outbox = outbox(10, 1000, 1000);
    outbox.offer(frame("one"));
    outbox.offer(frame("two"));
    outbox.offer(frame("three"));
    assertEquals(1, remote.inFlight());
    assertEquals(List.of("one"), remote.sent);
    assertEquals(2, outbox.queuedMessages());
    assertEquals(3 + 5, outbox.queuedBytes());
  }

  @Test
  void framesQueuedBehindASendGoOutNewlineJoinedInTheNextSend() {
    Outbox outbox = outbox(10, 1000, 1000);
    outbox.offer(frame("one"));
    outbox.offer(frame("two"));
    outbox.offer(frame("three"));
    remote.completeOk();
    assertEquals(List.of("one", "two\nthree"), remote.sent);
    assertEquals(0, outbox.queuedMessages());
    assertEquals(0, outbox.queuedBytes());
  }

  @Test
  void batchesStopAtMaxBatchBytesCountingTheNewlines() {
    // "aaaa\nbbbb" is exactly 9 bytes; adding "\ncccc" would make 14
    Outbox outbox = outbox(10, 1000, 9);
    outbox.offer(frame("first"));
    outbox.offer(frame("aaaa"));
    outbox.offer(frame("bbbb"));
    outbox.offer(frame("cccc"));
    remote.completeOk();
    assertEquals(List.of("first", "aaaa\nbbbb"), remote.sent);
    assertEquals(1, outbox.queuedMessages());
    remote.completeOk();
    assertEquals(List.of("first", "aaaa\nbbbb", "cccc"), remote.sent);
  }

  @Test
  void batchSizeCountsUtf8BytesNotCharacters() {
    // "€" is 3 bytes: "€€\n€€" is 13 bytes, over a 12-byte batch, so each goes alone
    Outbox outbox = outbox(10, 1000, 12);
    outbox.offer(frame("first"));
    outbox.offer(frame("€€"));
    outbox.offer(frame("€€"));
    remote.completeOk();
    assertEquals(List.of("first", "€€"), remote.sent);
  }

  @Test
  void frameLargerThanTheBatchLimitIsStillSentAlone() {
    Outbox outbox = outbox(10, 1000, 4);
    outbox.offer(frame("first"));
    outbox.offer(frame("a-long-frame"));
    outbox.offer(frame("x"));
    remote.completeOk();
    remote.completeOk();
    assertEquals(List.of("first", "a-long-frame", "x"), remote.sent);
  }

  @Test
  void frameOfferedAfterTheQueueDrainsIsSentImmediately() {
    Outbox outbox = outbox(10, 1000, 1000);
    outbox.offer(frame("one"));
    remote.completeOk();
    assertEquals(0, remote.inFlight());
    assertTrue(outbox.offer(frame("two")));
    assertEquals(List.of("one", "two"), remote.sent);
  }

  @Test
  void offerIsRefusedOnceMaxMessagesWouldBeExceededAndStaysRefused() {
    Outbox outbox = outbox(2, 1000, 1000);
    assertTrue(outbox.offer(frame("in-flight")));
    assertTrue(outbox.offer(frame("q1")));
    assertTrue(outbox.offer(frame("q2")));
    assertFalse(outbox.offer(frame("q3")));
    assertEquals(0, outbox.queuedMessages());

    remote.completeOk(); // the in-flight send finishing does not reopen the queue
    assertFalse(outbox.offer(frame("later")));
    assertEquals(List.of("in-flight"), remote.sent);
    assertEquals(0, remote.inFlight());
  }

  @Test
  void offerIsRefusedOnceMaxBytesWouldBeExceededAndStaysRefused() {
    Outbox outbox = outbox(100, 10, 1000);
    assertTrue(outbox.offer(frame("in-flight"))); // sent at once, so no longer counted
    assertTrue(outbox.offer(frame("12345")));
    assertTrue(outbox.offer(frame("67890"))); // exactly 10 bytes queued
    assertEquals(10, outbox.queuedBytes());
    assertFalse(outbox.offer(frame("x")));
    assertEquals(0, outbox.queuedBytes());
    assertFalse(outbox.offer(frame("y")));
  }

  @Test
  void singleFrameLargerThanMaxBytesIsRefused() {
    Outbox outbox = outbox(100, 10, 1000);
    assertFalse(outbox.offer(frame("eleven-byte")));
    assertTrue(remote.sent.isEmpty());
    assertFalse(outbox.offer(frame("x")));
  }

  @Test
  void failedSendIsReportedToTheFailureListenerAndRefusesFurtherFrames() {
    Outbox outbox = outbox(10, 1000, 1000);
    outbox.offer(frame("one"));
    outbox.offer(frame("two"));
    IOException timeout = new IOException("send timed out");
    remote.completeFailed(timeout);

    assertEquals(1, failures.size());
    assertSame(timeout, failures.get(0));
    assertEquals(List.of("one"), remote.sent, "nothing more is sent after a failure");
    assertEquals(0, outbox.queuedMessages());
    assertFalse(outbox.offer(frame("three")));
  }

  @Test
  void successfulSendsDoNotCallTheFailureListener() {
    Outbox outbox = outbox(10, 1000, 1000);
    outbox.offer(frame("one"));
    outbox.offer(frame("two"));
    remote.completeOk();
    remote.completeOk();
    assertTrue(failures.isEmpty());
  }

  @Test
  void aPingWaitsForTheWritersTurnAndTakesNoSendSlot() {
    List<Runnable> ready = new ArrayList<>();
    Outbox outbox = waitingForTurns(ready);
    outbox.ping();
    assertEquals(List.of(), remote.sent, "the pinging thread does not write");
    ready.remove(0).run();
    assertEquals(List.of("ping"), remote.sent);
    outbox.offer(frame("next"));
    ready.remove(0).run();
    assertEquals(List.of("ping", "next"), remote.sent, "a ping has no completion to wait for");
  }

  @Test
  void aPingQueuedBehindASendGoesOutOnceBeforeTheFramesQueuedWithIt() {
    Outbox outbox = outbox(10, 1000, 1000);
    outbox.offer(frame("in-flight"));
    outbox.ping();
    outbox.offer(frame("two"));
    outbox.ping();
    outbox.offer(frame("three"));
    assertEquals(List.of("in-flight"), remote.sent);
    remote.completeOk();
    assertEquals(
        List.of("in-flight", "ping", "two\nthree"), remote.sent, "one ping, then the frames");
  }

  /**
   * The wait behind a send in flight is the server's: the ping carries, and its owner learns, the
   * time it reached the socket, so the heartbeat does not count that wait against the client.
   */
  @Test
  void aPingCarriesTheTimeItWasWrittenNotTheTimeItWasAskedFor() {
    Outbox outbox = outbox(10, 1000, 1000);
    outbox.offer(frame("in-flight"));
    long asked = System.nanoTime();
    outbox.ping();
    long beforeWrite = System.nanoTime();
    while (beforeWrite == asked) {
      beforeWrite = System.nanoTime();
    }
    remote.completeOk();

    assertEquals(List.of("in-flight", "ping"), remote.sent);
    assertEquals(1, pingsWritten.size());
    assertTrue(pingsWritten.get(0) >= beforeWrite, "stamped after the send it waited for");
    assertEquals(pingsWritten, remote.pingPayloads, "the pong echoes the time the owner was told");
  }

  @Test
  void aPingThatCannotBeSentIsReportedAsSuchAndNothingMoreIsWritten() {
    List<Runnable> ready = new ArrayList<>();
    List<String> closes = new ArrayList<>();
    Outbox outbox = waitingForTurns(ready);
    remote.pingFailure = new IOException("broken pipe");
    outbox.ping();
    outbox.offer(frame("queued with the ping"));
    ready.remove(0).run();

    assertEquals(List.of(remote.pingFailure), pingFailures);
    assertEquals(List.of(), pingsWritten, "an unsent ping is not watched for its pong");
    assertEquals(List.of(), failures, "not a failed send of frames (4008)");
    assertEquals(List.of(), remote.sent);
    assertFalse(outbox.offer(frame("later")));
    outbox.closeAfterDrain(() -> closes.add("closed"));
    assertEquals(List.of("closed"), closes);
  }

  @Test
  void aRefusedQueueSendsNoPing() {
    Outbox outbox = outbox(1, 1000, 1000);
    outbox.offer(frame("in-flight"));
    outbox.offer(frame("queued"));
    assertFalse(outbox.offer(frame("over the bound")));
    outbox.ping();
    remote.completeOk();
    assertEquals(List.of("in-flight"), remote.sent);
  }

  @Test
  void noPingFollowsAClose() {
    Outbox outbox = outbox(10, 1000, 1000);
    List<String> closes = new ArrayList<>();
    outbox.offer(frame("the error that explains the close"));
    outbox.closeAfterDrain(() -> closes.add("closed"));
    outbox.ping();
    remote.completeOk();
    assertEquals(List.of("closed"), closes);
    assertEquals(List.of("the error that explains the close"), remote.sent);
  }
}
