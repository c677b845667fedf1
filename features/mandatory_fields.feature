Feature: Mandatory fields
  username is the matching key. A new patron needs enabled and staffmember; an update
  needs neither.

  @R-ROW-1 @documented
  Scenario: A blank username fails the row
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
        ,Y,N,{year}
      {user:dan},Y,N,{year}
      """
    When I upload the file
    Then row 1 fails with "Field (username) is mandatory."
    And row 2 is "User Created"

  @R-ROW-1 @documented
  Scenario: An existing username is updated and a new one created
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear
      {user:old},Y,N,{year}
      """
    And a CSV file:
      """
      username,enabled,staffmember,graduationyear,emailaddress
      {user:old},Y,N,{year},{email:old}
      {user:new},Y,N,{year},{email:new}
      """
    When I upload the file
    Then the import succeeds
    And the summary is "2 users processed. 1 user created. 1 user updated. 0 users failed."

  @R-ROW-3 @documented
  Scenario Outline: A new patron without <field> fails
    Given a CSV file:
      """
      <header>
      <row>
      """
    When I upload the file
    Then the status is 200
    And row 1 fails with "<reason>"

    Examples:
      | field               | header                                       | row                      | reason                                            |
      | an enabled value    | username,enabled,staffmember,graduationyear  | {user:fay},,N,{year}     | Field (enabled) is mandatory for new users.       |
      | a staffmember value | username,enabled,staffmember,graduationyear  | {user:gus},Y,,{year}     | Field (staffMember) is mandatory for new users.   |
      | an enabled column   | username,staffmember,graduationyear          | {user:hal},N,{year}      | Field (enabled) is mandatory for new users.       |

  @R-ROW-3 @documented
  Scenario: Without both, both reasons are given
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:ivy},,,{year}
      """
    When I upload the file
    Then row 1 fails with these reasons:
      | Field (enabled) is mandatory for new users.     |
      | Field (staffMember) is mandatory for new users. |

  @R-ROW-3 @documented
  Scenario: The documents' sample update file needs neither
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear
      {user:jane},Y,N,{year}
      {user:john},Y,N,{year}
      """
    And a CSV file:
      """
      username,password,emailaddress,formclass
      {user:jane},{password},{email:jane},10A
      {user:john},{password},{email:john},10B
      """
    When I upload the file
    Then the import succeeds
    And the summary is "2 users processed. 0 users created. 2 users updated. 0 users failed."

  Scenario Outline: A username of <what> is blank and fails the row
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      <username>,Y,N,{year}
      {user:dan},Y,N,{year}
      """
    When I upload the file
    Then row 1 fails with "Field (username) is mandatory."
    And row 2 is "User Created"

    @R-ROW-1 @documented
    Examples: Empty
      | what              | username       |
      | an empty quote    | ""             |

    @R-CSV-5 @decided
    Examples: White space alone
      | what              | username       |
      | tabs              | {tab}{tab}     |
      | no-break spaces   | {char:U+00A0}  |

  @R-CSV-5 @decided
  Scenario Outline: A new patron whose <field> is only white space fails as if it were blank
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      <row>
      """
    When I upload the file
    Then row 1 fails with "<reason>"

    Examples:
      | field       | row                         | reason                                          |
      | enabled     | {user:fay},{tab} ,N,{year}  | Field (enabled) is mandatory for new users.     |
      | staffmember | {user:gus},Y,{tab} ,{year}  | Field (staffMember) is mandatory for new users. |

  @R-ROW-3 @documented
  Scenario: A new patron without a staffmember column fails
    Given a CSV file:
      """
      username,enabled,graduationyear
      {user:hal},Y,{year}
      """
    When I upload the file
    Then row 1 fails with "Field (staffMember) is mandatory for new users."

  @R-ROW-3 @documented
  Scenario: An update with blank enabled and staffmember cells needs neither
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear
      {user:jane},Y,N,{year}
      """
    And a CSV file:
      """
      username,enabled,staffmember,formclass
      {user:jane},,,10A
      """
    When I upload the file
    Then the import succeeds
    And the summary is "1 user processed. 0 users created. 1 user updated. 0 users failed."
