Feature: Students and staff
  A new student needs a graduation year or an academic level; staff leave both blank.

  @R-ROW-5 @documented
  Scenario: A new student with a graduation year, a level, or both is created
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,academiclevel
      {user:a},Y,N,{year},
      {user:b},Y,N,,{level}
      {user:c},Y,N,{year},{level}
      """
    When I upload the file
    Then the import succeeds
    And the summary is "3 users processed. 3 users created. 0 users updated. 0 users failed."

  @R-ROW-5 @documented
  Scenario: A new student with neither fails
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,academiclevel
      {user:s},Y,N,,
      """
    When I upload the file
    Then row 1 fails with "Field (graduationYear) or Field (academicLevel) is mandatory for students."

  @R-ROW-6 @documented
  Scenario: Staff are created with the year and level left blank
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,academiclevel
      {user:teacher},Y,Y,,
      """
    When I upload the file
    Then the import succeeds

  @R-ROW-6 @decided
  Scenario: A staff row with a year or a level fails
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,academiclevel
      {user:t1},Y,Y,{year},
      {user:t2},Y,Y,,{level}
      """
    When I upload the file
    Then row 1 fails with "Field (graduationYear) applies to students only; leave it blank for staff."
    And row 2 fails with "Field (academicLevel) applies to students only; leave it blank for staff."

  @R-ROW-7 @documented
  Scenario: A four-digit year is accepted
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:y},Y,N,{year}
      """
    When I upload the file
    Then the import succeeds

  @R-ROW-7 @decided
  Scenario Outline: The year "<year>" fails the row
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:y},Y,N,<year>
      """
    When I upload the file
    Then row 1 fails with "Field (graduationYear) is not a four-digit year."

    Examples:
      | year  |
      | 29    |
      | 1899  |
      | 2101  |
      | 20x9  |
      | 20290 |
