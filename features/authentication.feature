Feature: Authentication
  The import is protected by HTTP Basic Auth with the username and password of an
  account with system administration privileges.

  Background:
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:ann},Y,N,{year}
      """

  @R-AUTH-1 @documented
  Scenario: An admin's credentials in the Authorization header are accepted
    When I upload the file
    Then the import succeeds

  @R-AUTH-1 @documented
  Scenario: An admin's credentials in the URL work like the header
    When I upload the file with the credentials in the URL
    Then the import succeeds
    And the summary is "1 user processed. 1 user created. 0 users updated. 0 users failed."

  @R-AUTH-2 @documented
  Scenario Outline: An upload <how> is refused
    When I upload the file <how>
    Then the answer is:
      """
      {"success": false, "summary": "Unauthorised. Check credentials."}
      """
    And patron "{user:ann}" does not exist

    Examples:
      | how                                      |
      | without credentials                      |
      | with a malformed Authorization header    |
      | with a wrong password                    |
      | as an unknown user                       |
      | with a Bearer token                      |
      | with Basic credentials without a colon   |
      | with the admin's username and an empty password |

  @R-AUTH-3 @documented
  Scenario: A valid account without system administration privileges is refused the same way
    When I upload the file as the non-admin account
    Then the answer is:
      """
      {"success": false, "summary": "Unauthorised. Check credentials."}
      """
    And patron "{user:ann}" does not exist

  @R-AUTH-4 @decided
  Scenario: The refusal is a 401 with a Basic challenge
    When I upload the file with a wrong password
    Then the status is 401
    And the header "WWW-Authenticate" is "Basic realm=\"autosync\""

  @R-AUTH-4 @decided
  Scenario: A wrong password with a body over the limit is refused as a wrong password
    When I upload a file larger than the body limit, starting with patron "{user:big}", with a wrong password
    Then the status is 401
    And the header "WWW-Authenticate" is "Basic realm=\"autosync\""
    And patron "{user:big}" does not exist

  @R-AUTH-4 @decided
  Scenario: Credentials are checked before the upload is read
    When I upload the file with a wrong password and a body that never ends
    Then the status is 401
    And the answer came before the upload finished

  @R-AUTH-4 @decided
  Scenario Outline: An upload <how> is refused with 401, the Basic challenge and JSON
    When I upload the file <how>
    Then the status is 401
    And the header "WWW-Authenticate" is "Basic realm=\"autosync\""
    And the header "Content-Type" is "application/json; charset=utf-8"
    And patron "{user:ann}" does not exist

    Examples:
      | how                                    |
      | without credentials                    |
      | with a malformed Authorization header  |
      | as an unknown user                     |
      | as the non-admin account               |
      | with a Bearer token                    |
      | with Basic credentials without a colon |
      | with the admin's username and an empty password |


  @R-AUTH-1 @decided
  Scenario Outline: An upload <how> is refused, as credentials are compared exactly
    When I upload the file <how>
    Then the answer is:
      """
      {"success": false, "summary": "Unauthorised. Check credentials."}
      """
    And patron "{user:ann}" does not exist

    Examples:
      | how                                               |
      | with the admin's username in another letter case  |
      | with the admin's password in another letter case  |
