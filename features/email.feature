Feature: E-mail addresses
  emailaddress is optional, and must be a well-formed address when given. The documents
  show the exact failure text.

  @R-ROW-13 @documented
  Scenario: A well-formed address, or none, is accepted
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,emailaddress
      {user:a},Y,N,{year},{email:a}
      {user:b},Y,N,{year},
      """
    When I upload the file
    Then the import succeeds

  @R-ROW-13 @documented
  Scenario Outline: The address "<address>" fails the row with the documented text
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,emailaddress
      {user:e},Y,N,{year},<address>
      """
    When I upload the file
    Then row 1 fails with exactly "Field (emailAddress) is not a well-formed email address. User failed to import: Field (emailAddress) is not a well-formed email address. "

    Examples:
      | address                 |
      | jane@@school.example    |
      | no-at-sign.example.edu  |
      | Jane <jane@example.edu> |
      | jane@                   |
