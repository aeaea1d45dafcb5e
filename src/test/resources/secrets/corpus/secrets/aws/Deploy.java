package deploy;

class Deploy {
  // the documented example id from the AWS docs
  static final String ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
  static final String SESSION_KEY_ID = "ASIAHVLOZRYKIJO2E4CS";
}
