package dev.imagegate.github;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WorkflowCommandTest {

  @Test
  void escapesTheMessageAndThePropertiesAsTheRunnerUnescapesThem() {
    String line = WorkflowCommand.error(new SourceLocation("app/pom.xml", 18), "CVE-2021-44228 CRITICAL in a:b, 100%",
        "line one\r\nline two: 50% done");
    assertEquals("::error file=app/pom.xml,line=18,title=CVE-2021-44228 CRITICAL in a%3Ab%2C 100%25::line one%0D%0Aline two: 50%25 done", line);
  }

  @Test
  void aFileNameWithCommaAndColonStaysOneProperty() {
    assertEquals("::warning file=a%2Cb%3Ac.txt,line=1,title=t::m", WorkflowCommand.warning(new SourceLocation("a,b:c.txt", 0), "t", "m"));
  }
}
