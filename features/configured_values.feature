Feature: Configured values
  academiclevel must be an import ID declared on the server, and presentationgrouplabel
  a current presentation group. The profile names one of each for the target.

  @R-ROW-8 @documented
  Scenario: A declared academic level is accepted
    Given a CSV file:
      """
      username,enabled,staffmember,academiclevel
      {user:l},Y,N,{level}
      """
    When I upload the file
    Then the import succeeds

  @R-ROW-8 @decided
  Scenario: Academic levels match in any letter case
    Given a CSV file:
      """
      username,enabled,staffmember,academiclevel
      {user:l},Y,N,{level:swapcase}
      """
    When I upload the file
    Then the import succeeds

  @R-ROW-8 @documented
  Scenario: An undeclared academic level fails the row
    Given a CSV file:
      """
      username,enabled,staffmember,academiclevel
      {user:l},Y,N,Not-A-Level-{run}
      """
    When I upload the file
    Then row 1 fails with "Field (academicLevel) value 'Not-A-Level-{run}' is not a declared academic level."

  @R-ROW-14 @documented
  Scenario: A current presentation group is accepted
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,presentationgrouplabel
      {user:p},Y,N,{year},{group}
      """
    When I upload the file
    Then the import succeeds

  @R-ROW-14 @documented
  Scenario: An unknown presentation group fails the row
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,presentationgrouplabel
      {user:p},Y,N,{year},No Such Group {run}
      """
    When I upload the file
    Then row 1 fails with "Field (presentationGroupLabel) value 'No Such Group {run}' is not a current presentation group."

  @R-ROW-8 @decided
  Scenario Outline: A level written as another number, <level>, is not the declared level
    Given a CSV file:
      """
      username,enabled,staffmember,academiclevel
      {user:l},Y,N,<level>
      """
    When I upload the file
    Then row 1 fails with "Field (academicLevel) value '<level>' is not a declared academic level."

    Examples:
      | level |
      | 07    |
      | 7.0   |
      | 7e0   |

  @R-ROW-14 @decided
  Scenario Outline: A group with its inner spaces written otherwise, <how>, is not the current group
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,presentationgrouplabel
      {user:p},Y,N,{year},<group>
      """
    When I upload the file
    Then row 1 fails with "Field (presentationGroupLabel) value '<group>' is not a current presentation group."

    Examples:
      | how      | group          |
      | doubled  | {group:spaced} |
      | no-break | {group:nbsp}   |

  # Edges: padding, near misses, both paths, and what is stored.

  @R-ROW-8 @decided
  Scenario: A declared level padded with white space is accepted
    Given a CSV file:
      """
      username,enabled,staffmember,academiclevel
      {user:l},Y,N,{tab} {level} {tab}
      """
    When I upload the file
    Then the import succeeds

  @R-ROW-8 @documented
  Scenario: A level one character off a declared one fails the row
    Given a CSV file:
      """
      username,enabled,staffmember,academiclevel
      {user:l},Y,N,{level}0
      """
    When I upload the file
    Then row 1 fails with "Field (academicLevel) value '{level}0' is not a declared academic level."

  @R-ROW-8 @documented
  Scenario: A level on an update is judged too
    Given these patrons exist:
      """
      username,enabled,staffmember,academiclevel
      {user:a},Y,N,{level}
      {user:b},Y,N,{level}
      """
    And a CSV file:
      """
      username,academiclevel
      {user:a},Not-A-Level-{run}
      {user:b},{level}
      """
    When I upload the file
    Then row 1 fails with "Field (academicLevel) value 'Not-A-Level-{run}' is not a declared academic level."
    And row 2 is "User Updated"

  @R-ROW-8 @decided @inspect
  Scenario: A level sent in another letter case is stored as declared
    Given a CSV file:
      """
      username,enabled,staffmember,academiclevel
      {user:a},Y,N,{level}
      {user:b},Y,N,{level:swapcase}
      """
    When I upload the file
    Then the import succeeds
    And the reference shows patron "{user:b}" with the academiclevel of patron "{user:a}"

  @R-ROW-14 @decided
  Scenario: Presentation groups match in any letter case and padded
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,presentationgrouplabel
      {user:a},Y,N,{year},{group:upper}
      {user:b},Y,N,{year},{tab}{group:lower} 
      """
    When I upload the file
    Then the import succeeds

  @R-ROW-14 @documented
  Scenario: A presentation group on an update is judged too
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear
      {user:a},Y,N,{year}
      {user:b},Y,N,{year}
      """
    And a CSV file:
      """
      username,presentationgrouplabel
      {user:a},{group} {run}
      {user:b},{group}
      """
    When I upload the file
    Then row 1 fails with "Field (presentationGroupLabel) value '{group} {run}' is not a current presentation group."
    And row 2 is "User Updated"

  @R-ROW-14 @decided @inspect
  Scenario: A presentation group sent in another letter case is stored as configured
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,presentationgrouplabel
      {user:a},Y,N,{year},{group}
      {user:b},Y,N,{year},{group:upper}
      {user:c},Y,N,{year},{group:lower}
      """
    When I upload the file
    Then the import succeeds
    And the reference shows patron "{user:b}" with the presentationgrouplabel of patron "{user:a}"
    And the reference shows patron "{user:c}" with the presentationgrouplabel of patron "{user:a}"
