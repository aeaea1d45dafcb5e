package it.multi.a;

import it.multi.lib.Greeting;

public final class Main {
  public static void main(String[] args) {
    System.out.println(Greeting.of("service-a"));
  }
}
