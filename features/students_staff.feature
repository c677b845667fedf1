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

  # Edges: years at and inside both ends, years in the wrong form, both
  # paths, and students who become staff and back.

  @R-ROW-7 @decided
  Scenario Outline: The year <year>, at or inside the range, is accepted
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:y},Y,N,<year>
      """
    When I upload the file
    Then the import succeeds

    Examples:
      | year |
      | 1900 |
      | 1901 |
      | 2099 |
      | 2100 |

  @R-ROW-7 @documented
  Scenario Outline: The year "<year>" is not four digits and fails the row
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:y},Y,N,<year>
      """
    When I upload the file
    Then row 1 fails with "Field (graduationYear) is not a four-digit year."

    Examples:
      | year      |
      | +2030     |
      | 02030     |
      | 2030.0    |
      | 203       |

  @R-ROW-7 @decided
  Scenario Outline: The four-digit year <year> outside the range fails the row
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:y},Y,N,<year>
      """
    When I upload the file
    Then row 1 fails with "Field (graduationYear) is not a four-digit year."

    Examples:
      | year  |
      | 0000  |
      | 1000  |
      | 9999  |
      | ２０３０ |

  @R-ROW-7 @documented
  Scenario: A year on an update is judged too
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear
      {user:a},Y,N,{year}
      {user:b},Y,N,{year}
      """
    And a CSV file:
      """
      username,graduationyear
      {user:a},20300
      {user:b},{year}
      """
    When I upload the file
    Then row 1 fails with "Field (graduationYear) is not a four-digit year."
    And row 2 is "User Updated"

  @R-ROW-5 @documented
  Scenario: A new student whose year and level are only white space fails
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,academiclevel
      {user:s},Y,N,{tab} , {tab}
      """
    When I upload the file
    Then row 1 fails with "Field (graduationYear) or Field (academicLevel) is mandatory for students."

  @R-ROW-5 @documented
  Scenario: An existing student stays a student without giving the year again
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear,academiclevel
      {user:a},Y,N,{year},
      {user:b},Y,N,,{level}
      """
    And a CSV file:
      """
      username,enabled,staffmember,graduationyear,academiclevel
      {user:a},Y,N,,
      {user:b},N,no,,
      """
    When I upload the file
    Then the import succeeds
    And the summary is "2 users processed. 0 users created. 2 users updated. 0 users failed."

  @R-ROW-5 @decided
  Scenario: A staff member who becomes a student needs a year or a level
    Given these patrons exist:
      """
      username,enabled,staffmember
      {user:t1},Y,Y
      {user:t2},Y,Y
      """
    And a CSV file:
      """
      username,staffmember,academiclevel
      {user:t1},N,
      {user:t2},N,{level}
      """
    When I upload the file
    Then row 1 fails with "Field (graduationYear) or Field (academicLevel) is mandatory for students."
    And row 2 is "User Updated"

  @R-ROW-5 @decided
  Scenario: A staff member with a stored year becomes a student without giving it again
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear
      {user:s1},Y,N,{year}
      """
    And these patrons exist:
      """
      username,staffmember
      {user:s1},Y
      """
    And a CSV file:
      """
      username,staffmember,graduationyear,academiclevel
      {user:s1},N,,
      """
    When I upload the file
    Then the import succeeds
    And the summary is "1 user processed. 0 users created. 1 user updated. 0 users failed."

  @R-ROW-6 @decided
  Scenario: A staff row with both a year and a level gives both reasons
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,academiclevel
      {user:t},Y,Y,{year},{level}
      """
    When I upload the file
    Then row 1 fails with these reasons:
      | Field (graduationYear) applies to students only; leave it blank for staff. |
      | Field (academicLevel) applies to students only; leave it blank for staff.  |

  @R-ROW-6 @decided
  Scenario Outline: An existing staff member given a <column> fails, staffmember <how>
    Given these patrons exist:
      """
      username,enabled,staffmember
      {user:t},Y,Y
      """
    And a CSV file:
      """
      username,staffmember,<column>
      {user:t},<flag>,<value>
      """
    When I upload the file
    Then row 1 fails with "Field (<field>) applies to students only; leave it blank for staff."

    Examples:
      | column         | how         | flag | value   | field          |
      | graduationyear | left blank  |      | {year}  | graduationYear |
      | academiclevel  | left blank  |      | {level} | academicLevel  |
      | graduationyear | given again | yes  | {year}  | graduationYear |

  @R-ROW-6 @decided
  Scenario: A student who becomes staff in a row that gives a year fails
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear
      {user:s},Y,N,{year}
      """
    And a CSV file:
      """
      username,staffmember,graduationyear
      {user:s},Y,{year}
      """
    When I upload the file
    Then row 1 fails with "Field (graduationYear) applies to students only; leave it blank for staff."

  @R-ROW-6 @R-ROW-16 @decided
  Scenario: A student who becomes staff keeps the year the row leaves blank
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear
      {user:s},Y,N,{year}
      """
    And a CSV file:
      """
      username,staffmember,graduationyear
      {user:s},Y,
      """
    When I upload the file
    Then the import succeeds
    And the summary is "1 user processed. 0 users created. 1 user updated. 0 users failed."

  @R-ROW-6 @R-ROW-16 @decided @inspect
  Scenario: The reference keeps a new staff member's stored year
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear
      {user:s},Y,N,{year}
      """
    And a CSV file:
      """
      username,staffmember,graduationyear
      {user:s},Y,
      """
    When I upload the file
    Then the import succeeds
    And the reference shows patron "{user:s}" with:
      | field          | value  |
      | staffmember    | true   |
      | graduationyear | {year} |
