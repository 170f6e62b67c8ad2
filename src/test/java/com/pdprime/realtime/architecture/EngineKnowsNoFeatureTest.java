package com.pdprime.realtime.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The engine knows no feature: quotes, analytics, admin, notifications and development tokens plug
 * into it through the interfaces and CDI events it defines (RoomAccessRule, RoomSnapshot,
 * FeatureCommands), never the other way round.
 */
@AnalyzeClasses(
    packages = "com.pdprime.realtime",
    importOptions = ImportOption.DoNotIncludeTests.class)
class EngineKnowsNoFeatureTest {
  private static final String[] FEATURES = {
    "com.pdprime.realtime.quotes..",
    "com.pdprime.realtime.analytics..",
    "com.pdprime.realtime.admin..",
    "com.pdprime.realtime.notifications..",
    "com.pdprime.realtime.devtokens.."
  };

  @ArchTest
  static final ArchRule ENGINE_IMPORTS_NO_FEATURE =
      noClasses()
          .that()
          .resideInAnyPackage(
              "com.pdprime.realtime.websocket..",
              "com.pdprime.realtime.rooms..",
              "com.pdprime.realtime.relay..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(FEATURES)
          .because("features plug into the engine through interfaces it defines (style.md)");
}
