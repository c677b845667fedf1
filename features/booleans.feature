Feature: Booleans
  enabled and staffmember take the documented flags: Y, yes, true, 1 for true and
  N, no, false, 0 for false.

  @R-ROW-4 @documented
  Scenario Outline: The documented flags <true> and <false> are accepted
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:p},<true>,<false>,{year}
      """
    When I upload the file
    Then the import succeeds

    Examples:
      | true | false |
      | Y    | N     |
      | yes  | no    |
      | true | false |
      | 1    | 0     |

  @R-ROW-4 @evidence
  Scenario: Flags are accepted in any letter case
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:a},TRUE,FALSE,{year}
      {user:b},y,n,{year}
      {user:c},Yes,No,{year}
      {user:d},YES,NO,{year}
      """
    When I upload the file
    Then the import succeeds
    And the summary is "4 users processed. 4 users created. 0 users updated. 0 users failed."

  @R-ROW-4 @documented
  Scenario: A bulk deactivation file disables existing patrons
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear
      {user:leaver},Y,N,{year}
      """
    And a CSV file:
      """
      username,enabled
      {user:leaver},FALSE
      """
    When I upload the file
    Then the import succeeds
    And the summary is "1 user processed. 0 users created. 1 user updated. 0 users failed."

  @R-ROW-4 @documented
  Scenario Outline: The flag "<enabled>" fails the row
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:p},<enabled>,N,{year}
      """
    When I upload the file
    Then row 1 fails with "Field (enabled) is not a valid boolean; use Y, yes, true, 1, N, no, false or 0."

    Examples:
      | enabled |
      | on      |
      | T       |
      | active  |
      | 2       |
