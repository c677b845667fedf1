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

  # Edges: both fields, both paths, every spelling, near misses.

  @R-ROW-4 @R-ROW-6 @documented
  Scenario Outline: staffmember "<flag>" makes a staff member, who leaves the year blank
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,academiclevel
      {user:t},<flag>,<flag>,,
      """
    When I upload the file
    Then the import succeeds

    Examples:
      | flag |
      | Y    |
      | yes  |
      | true |
      | 1    |

  @R-ROW-4 @R-ROW-5 @documented
  Scenario Outline: staffmember "<flag>" makes a student, who needs a year or a level
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,academiclevel
      {user:s},<flag>,<flag>,,
      """
    When I upload the file
    Then row 1 fails with "Field (graduationYear) or Field (academicLevel) is mandatory for students."

    Examples:
      | flag  |
      | N     |
      | no    |
      | false |
      | 0     |

  @R-ROW-4 @evidence
  Scenario Outline: staffmember "<flag>" in another letter case is still true
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,academiclevel
      {user:t},Y,<flag>,,
      """
    When I upload the file
    Then the import succeeds

    Examples:
      | flag |
      | y    |
      | YES  |
      | True |
      | TRUE |

  @R-ROW-4 @evidence
  Scenario Outline: staffmember "<flag>" in another letter case is still false
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:s},Y,<flag>,
      """
    When I upload the file
    Then row 1 fails with "Field (graduationYear) or Field (academicLevel) is mandatory for students."

    Examples:
      | flag  |
      | n     |
      | NO    |
      | False |

  @R-ROW-4 @documented
  Scenario Outline: The staffmember flag "<flag>" fails the row
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:p},Y,<flag>,{year}
      """
    When I upload the file
    Then row 1 fails with "Field (staffMember) is not a valid boolean; use Y, yes, true, 1, N, no, false or 0."

    Examples:
      | flag    |
      | maybe   |
      | 01      |
      | yes no  |
      | -1      |

  @R-ROW-4 @documented
  Scenario Outline: The flag "<enabled>" is a near miss and fails the row
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:p},<enabled>,N,{year}
      """
    When I upload the file
    Then row 1 fails with "Field (enabled) is not a valid boolean; use Y, yes, true, 1, N, no, false or 0."

    Examples:
      | enabled |
      | ye      |
      | 00      |
      | nope    |
      | Y.      |

  @R-ROW-4 @documented
  Scenario: An invalid flag on an update fails the row and a valid one updates
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear
      {user:a},Y,N,{year}
      {user:b},Y,N,{year}
      """
    And a CSV file:
      """
      username,enabled
      {user:a},disabled
      {user:b},no
      """
    When I upload the file
    Then row 1 fails with "Field (enabled) is not a valid boolean; use Y, yes, true, 1, N, no, false or 0."
    And row 2 is "User Updated"
