package it.multi.b;

public final class Main {
  public static void main(String[] args) {
    System.out.println("hello from service-b");
  }
}
