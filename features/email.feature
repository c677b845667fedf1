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

  @R-ROW-13 @documented
  Scenario: Everyday address forms are accepted
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,emailaddress
      {user:a},Y,N,{year},ann.smith+library@mail.school-7.example.edu
      {user:b},Y,N,{year},O'Neil_B@example.edu
      {user:c},Y,N,{year},a!#$%&'*+-/=?^_`{|}~z@Example.EDU
      """
    When I upload the file
    Then the import succeeds

  @R-ROW-13 @documented
  Scenario Outline: The address "<address>" fails the row
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,emailaddress
      {user:e},Y,N,{year},<address>
      """
    When I upload the file
    Then row 1 fails with "Field (emailAddress) is not a well-formed email address."

    Examples:
      | address                  |
      | <jane@example.edu>       |
      | jane smith@example.edu   |
      | jane@example..edu        |
      | .jane@example.edu        |
      | @example.edu             |
      | jane.@example.edu        |
      | jane..doe@example.edu    |
      | jane@example.edu.        |
      | jane@.example.edu        |

  @R-ROW-13 @documented
  Scenario: An address on an update is judged too
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear
      {user:a},Y,N,{year}
      {user:b},Y,N,{year}
      """
    And a CSV file:
      """
      username,emailaddress
      {user:a},a.example.edu
      {user:b},{email:b}
      """
    When I upload the file
    Then row 1 fails with "Field (emailAddress) is not a well-formed email address."
    And row 2 is "User Updated"

  @R-ROW-13 @decided
  Scenario Outline: An address with <form> is accepted
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,emailaddress
      {user:e},Y,N,{year},<cell>
      """
    When I upload the file
    Then the import succeeds

    Examples:
      | form                                  | cell                                 |
      | a quoted local part                   | """{user:e}""@example.edu"           |
      | a quoted local part holding a space   | """john doe""@example.edu"           |
      | escapes in a quoted local part        | """say \\""hi\\"" \\\\""@example.edu"  |
      | a domain without a dot                | {user:e}@localhost                   |
      | an IPv4 address literal               | {user:e}@[192.0.2.1]                 |

  @R-ROW-13 @decided
  Scenario Outline: An address with <form> fails the row
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,emailaddress
      {user:e},Y,N,{year},<cell>
      """
    When I upload the file
    Then row 1 fails with "Field (emailAddress) is not a well-formed email address."

    Examples:
      | form                                  | cell                                 |
      | an unterminated quoted local part     | """john doe@example.edu"             |
      | a quote closed before the @           | """john""doe@example.edu"            |
      | a quoted display name                 | """Jane"" <jane@example.edu>"        |
      | an IPv6 address literal               | jane@[IPv6:2001:db8::1]              |
      | an IPv4 literal out of range          | jane@[192.0.2.256]                   |
