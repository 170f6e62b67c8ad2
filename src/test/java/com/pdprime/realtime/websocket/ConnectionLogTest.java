package com.pdprime.realtime.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pdprime.realtime.testing.CapturedLog;
import java.time.Instant;
import java.util.List;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConnectionLogTest {
  private CapturedLog captured;
  private List<LogRecord> written;

  @BeforeEach
  void capture() {
    captured = CapturedLog.of(ConnectionRegistry.class);
    written = captured.records();
  }

  @AfterEach
  void release() {
    captured.close();
  }

  @Test
  void linesWaitForTheDrainAndKeepTheirOrderAndTheirMoment() throws Exception {
    ConnectionLog log = new ConnectionLog();
    Instant before = Instant.now();
    log.info("open", "conn=a state=OPEN");
    log.info("closed", "conn=a state=CLOSED code=1000 reason=bye");
    Thread.sleep(50);
    assertTrue(written.isEmpty(), "nothing is written by the thread of the transition");

    log.drain();

    assertEquals(
        List.of("conn=a state=OPEN", "conn=a state=CLOSED code=1000 reason=bye"),
        written.stream().map(LogRecord::getMessage).toList());
    Instant drained = Instant.now().minusMillis(25);
    assertTrue(
        written.stream()
            .allMatch(r -> !r.getInstant().isBefore(before) && r.getInstant().isBefore(drained)),
        "each line carries the moment of its transition, not of the drain");
    assertEquals("closed", written.get(1).getSourceMethodName());
  }

  @Test
  void pastTheBoundTheCallerWritesItsOwnLine() {
    ConnectionLog log = new ConnectionLog();
    for (int i = 0; i < ConnectionLog.MAX_PENDING; i++) {
      log.info("open", "conn=" + i + " state=OPEN");
    }
    assertTrue(written.isEmpty());

    log.info("open", "conn=over state=OPEN");

    assertEquals(List.of("conn=over state=OPEN"), messages());
    log.drain();
    assertEquals(ConnectionLog.MAX_PENDING + 1, written.size(), "no line is lost");
  }

  @Test
  void onceStoppedWhatWaitedIsWrittenAndEveryLaterLineAtOnce() {
    ConnectionLog log = new ConnectionLog();
    log.info("close", "conn=b state=CLOSING code=1001 reason=server shutting down");

    log.stop();
    assertEquals(1, written.size());
    log.info("closed", "conn=b state=CLOSED code=1001 reason=server shutting down");

    assertEquals(
        List.of(
            "conn=b state=CLOSING code=1001 reason=server shutting down",
            "conn=b state=CLOSED code=1001 reason=server shutting down"),
        messages());
  }

  private List<String> messages() {
    return written.stream().map(LogRecord::getMessage).toList();
  }
}
