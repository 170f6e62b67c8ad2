package com.pdprime.realtime.admin;

import com.pdprime.realtime.rooms.RoomName;
import com.pdprime.realtime.rooms.RoomSnapshot;
import com.pdprime.realtime.rooms.RoomType;
import com.pdprime.realtime.security.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.util.Optional;

/**
 * What a new subscriber of an operators' stream gets first: for {@code admin:system} and {@code
 * admin:performance} the last sample of every live instance ({@link InstanceSamples}).
 */
@ApplicationScoped
public class AdminSnapshot implements RoomSnapshot {
  @Inject InstanceSamples samples;

  @Override
  public RoomType type() {
    return RoomType.ADMIN;
  }

  @Override
  public Optional<JsonObject> snapshot(Caller caller, RoomName room) {
    return samples.snapshot(room);
  }
}
