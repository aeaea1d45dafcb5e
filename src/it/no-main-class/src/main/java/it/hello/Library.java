package it.hello;

/** A library class: nothing to run. */
public final class Library {
  public static String greet() {
    return "hello";
  }
}
