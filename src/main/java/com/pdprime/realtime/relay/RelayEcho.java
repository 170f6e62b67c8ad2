package com.pdprime.realtime.relay;

/** A message an instance sends itself over the relay topic, to learn that its consumer receives. */
record RelayEcho(String instance, long number) {}
