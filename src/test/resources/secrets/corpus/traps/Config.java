class Config {
  static final String PASSWORD_PROPERTY = "orders.db.password";
  static final String TOKEN_HEADER = "Authorization";
  String password = System.getenv("DB_PASSWORD");
  String secret = props.getProperty("secret");
  char[] pwd = console.readPassword();
  boolean ok = token.equals(expectedToken);
  String privateKeyPath = "/etc/ssl/private/server.key";
}
