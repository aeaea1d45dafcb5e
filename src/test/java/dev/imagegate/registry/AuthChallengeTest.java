package dev.imagegate.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AuthChallengeTest {

  @Test
  void parsesBearerWithQuotedCommas() {
    AuthChallenge c =
        AuthChallenge.parse("Bearer realm=\"https://auth.example.com/token\",service=\"registry.example.com\",scope=\"repository:a/b:pull,push\"").orElseThrow();
    assertTrue(c.isBearer());
    assertEquals("https://auth.example.com/token", c.param("realm").orElseThrow());
    assertEquals("registry.example.com", c.param("service").orElseThrow());
    assertEquals("repository:a/b:pull,push", c.param("scope").orElseThrow());
  }

  @Test
  void parsesEcrBasic() {
    AuthChallenge c = AuthChallenge.parse("Basic realm=\"https://123456789012.dkr.ecr.us-east-1.amazonaws.com/\",service=\"ecr.amazonaws.com\"").orElseThrow();
    assertTrue(c.isBasic());
    assertEquals("ecr.amazonaws.com", c.param("service").orElseThrow());
  }

  @Test
  void ignoresUnknownSchemes() {
    assertTrue(AuthChallenge.parse("Negotiate abc").isEmpty());
    assertTrue(AuthChallenge.parse(null).isEmpty());
  }
}
