package orders;

final class Client {
  private static final String API_KEY = "eUkgky2j51NEtOVCgTqXH46GFsMnJjNb";
}
