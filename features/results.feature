Feature: The result
  The answer is a JSON object with success, summary and, only when a row failed,
  details for every row.

  @R-RES-1 @R-RES-2 @R-RES-3 @documented
  Scenario: The documents' example of a partly failed import
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear
      {user:mary},Y,N,{year}
      """
    And a CSV file:
      """
      username,enabled,staffmember,graduationyear,emailaddress
      {user:mary},Y,N,{year},{email:mary}
      {user:pat},Y,N,{year},pat.example.edu
      {user:sam},Y,N,{year},{email:sam}
      """
    When I upload the file
    Then the answer is:
      """
      {
        "success": false,
        "summary": "3 users processed. 1 user created. 1 user updated. 1 user failed.",
        "details": {
          "1": "User Updated",
          "2": "Field (emailAddress) is not a well-formed email address. User failed to import: Field (emailAddress) is not a well-formed email address. ",
          "3": "User Created"
        }
      }
      """

  @R-RES-1 @R-RES-3 @documented
  Scenario: A fully successful import has no details
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:a},Y,N,{year}
      {user:b},Y,N,{year}
      """
    When I upload the file
    Then success is true
    And there are no details
    And the summary is "2 users processed. 2 users created. 0 users updated. 0 users failed."

  @R-RES-2 @documented
  Scenario Outline: The summary of <n> new students says "user" for exactly one
    Given <n> new students in a CSV file
    When I upload the file
    Then the summary is "<summary>"

    Examples:
      | n | summary                                                              |
      | 1 | 1 user processed. 1 user created. 0 users updated. 0 users failed.   |
      | 2 | 2 users processed. 2 users created. 0 users updated. 0 users failed. |

  @R-RES-2 @documented
  Scenario: Updates are counted as updates
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear
      {user:a},Y,N,{year}
      {user:b},Y,N,{year}
      """
    And a CSV file:
      """
      username,formclass
      {user:a},9A
      {user:b},9B
      """
    When I upload the file
    Then the summary is "2 users processed. 0 users created. 2 users updated. 0 users failed."

  @R-RES-3 @documented
  Scenario: A failed row's text has the documented shape, every reason in column order
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,emailaddress,gender
      {user:m},maybe,N,20,bad-address,Q
      """
    When I upload the file
    Then row 1 fails with these reasons:
      | Field (enabled) is not a valid boolean; use Y, yes, true, 1, N, no, false or 0. |
      | Field (emailAddress) is not a well-formed email address.                          |
      | Field (graduationYear) is not a four-digit year.                                  |
      | Field (gender) must be M, F or blank.                                             |

  @R-RES-4 @decided
  Scenario: A processed import answers 200 with details keys in numeric order
    Given 11 new students in a CSV file, the last with the year "9999"
    When I upload the file
    Then the status is 200
    And success is false
    And the details keys are in numeric order
    And row 10 is "User Created"
    And row 11 fails
