package dev.imagegate.scan.osv;

import java.time.Duration;

/** How old a database is, in the words messages use: whole days from two days on, else whole hours. */
final class DatabaseAge {
  private DatabaseAge() {}

  static String describe(Duration age) {
    long hours = age.toHours();
    if (hours >= 48) {
      long days = age.toDays();
      return days + " days";
    }
    return hours == 1 ? "1 hour" : hours + " hours";
  }
}
