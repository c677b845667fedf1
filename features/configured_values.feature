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
