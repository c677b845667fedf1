Feature: Text fields and passwords
  Text fields are at most 255 characters with no control characters. A password is
  stored as a hash and never shown.

  @R-ROW-15 @decided
  Scenario: 255 characters are accepted and 256 fail
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,givenname
      {user:ok},Y,N,{year},{repeat:é:255}
      {user:long},Y,N,{year},{repeat:a:256}
      """
    When I upload the file
    Then row 1 is "User Created"
    And row 2 fails with "Field (givenName) is longer than 255 characters."

  @R-ROW-15 @decided
  Scenario: A tab inside a value fails the row
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,givenname
      {user:t},Y,N,{year},Tab{tab}here
      """
    When I upload the file
    Then row 1 fails with "Field (givenName) contains control characters."

  @R-ROW-15 @decided
  Scenario Outline: A username with a <what> fails and makes no look-alike patron
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear
      {user:ann},Y,N,{year}
      """
    And a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:ann}{char:<code>},Y,N,{year}
      """
    When I upload the file
    Then row 1 fails with "Field (username) contains control characters."

    Examples:
      | what                   | code   |
      | byte-order mark        | U+FEFF |
      | zero-width space       | U+200B |
      | right-to-left override | U+202E |

  @R-ROW-17 @decided
  Scenario: A password is accepted and never shown in the answer
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,password
      {user:pw},Y,N,{year},{password}
      {user:bad},maybe,N,{year},{password}
      """
    When I upload the file
    Then row 1 is "User Created"
    And row 2 fails
    And no answer so far shows the password

  @R-ROW-17 @decided
  Scenario: A password longer than 72 bytes fails the row
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,password
      {user:pw},Y,N,{year},{repeat:x:73}
      """
    When I upload the file
    Then row 1 fails with "Field (password) is longer than 72 bytes."
    And no answer so far shows the password

  @R-ROW-17 @decided
  Scenario: A password is accepted and never echoed
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,password
      {user:pw},Y,N,{year},{password}
      """
    When I upload the file
    Then the import succeeds
    And the summary is "1 user processed. 1 user created. 0 users updated. 0 users failed."
    And no answer so far shows the password

  @R-ROW-17 @decided @inspect
  Scenario: The reference's own pages never show a password
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,password
      {user:pw},Y,N,{year},{password}
      """
    When I upload the file
    Then the import succeeds
    And the reference shows patron "{user:pw}" with:
      | field    | value     |
      | username | {user:pw} |
    And no answer so far shows the password
