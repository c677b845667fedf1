Feature: Gender
  gender is M, F or blank.

  @R-ROW-12 @documented
  Scenario: M, F and blank are accepted
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,gender
      {user:m},Y,N,{year},M
      {user:f},Y,N,{year},F
      {user:b},Y,N,{year},
      """
    When I upload the file
    Then the import succeeds

  @R-ROW-12 @decided
  Scenario: Lower case m and f are accepted
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,gender
      {user:m},Y,N,{year},m
      {user:f},Y,N,{year},f
      """
    When I upload the file
    Then the import succeeds

  @R-ROW-12 @documented
  Scenario Outline: The gender "<gender>" fails the row
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,gender
      {user:g},Y,N,{year},<gender>
      """
    When I upload the file
    Then row 1 fails with "Field (gender) must be M, F or blank."

    Examples:
      | gender |
      | Female |
      | X      |
      | 1      |

  @R-ROW-12 @documented
  Scenario Outline: The gender "<gender>" near M or F fails the row
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,gender
      {user:g},Y,N,{year},<gender>
      """
    When I upload the file
    Then row 1 fails with "Field (gender) must be M, F or blank."

    Examples:
      | gender |
      | MF     |
      | FF     |
      | M.     |

  @R-ROW-12 @documented
  Scenario: A gender on an update is judged too
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear
      {user:a},Y,N,{year}
      {user:b},Y,N,{year}
      """
    And a CSV file:
      """
      username,gender
      {user:a},Male
      {user:b},F
      """
    When I upload the file
    Then row 1 fails with "Field (gender) must be M, F or blank."
    And row 2 is "User Updated"

  @R-ROW-12 @decided @inspect
  Scenario: Lower case m and f are stored upper case
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,gender
      {user:m},Y,N,{year},m
      {user:f},Y,N,{year},f
      """
    When I upload the file
    Then the import succeeds
    And the reference shows patron "{user:m}" with:
      | field  | value |
      | gender | M     |
    And the reference shows patron "{user:f}" with:
      | field  | value |
      | gender | F     |
