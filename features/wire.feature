Feature: The wire: the request as other clients write it
  Real clients write the same documented request in other spellings: the
  header names' letter case, a quoted boundary, the media type in capitals,
  part headers in another case, a preamble, a chunked body, Expect:
  100-continue, the scheme "basic" in lower case, a query string, cookies,
  more parts than the file. Each way of sending is written byte for byte as
  its client writes it (the catalogue is api/wire), and every rule holds
  whichever way the request came.

  Scenario Outline: A file written as <way> writes it is read as the documents say
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,emailaddress
      {user:ann},Y,N,{year},{email:ann}
      ,Y,N,{year},bob@example.edu
      """
    And a second CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:second},Y,N,{year}
      """
    When I send the file as "<way>" writes it
    Then the status is 200
    And the header "Content-Type" is "application/json; charset=utf-8"
    And success is false
    And the summary is "2 users processed. 1 user created. 0 users updated. 1 user failed."
    And row 1 is "User Created"
    And row 2 fails with "Field (username) is mandatory."
    And patron "{user:second}" does not exist

    @R-HTTP-1 @documented
    Examples: the transport
      | way |
      | curl, waiting for 100 Continue |
      | Java HttpClient |
      | lower-case header names |
      | a chunked body |
      | a query string |

    @R-HTTP-2 @documented
    Examples: the multipart body
      | way |
      | curl |
      | PowerShell 7 |
      | .NET HttpClient |
      | Python requests |
      | a browser form |
      | a media type in capitals |
      | part headers in capitals |
      | a boundary that must be quoted |
      | a charset before the boundary |
      | a preamble and an epilogue |
      | two file parts named file |
      | a CSV typed as Excel's |
      | a file name in filename* alone |

    @R-AUTH-1 @documented
    Examples: the credentials
      | way |
      | Windows PowerShell 5.1 |
      | cookies |

    @R-AUTH-1 @decided
    Examples: the scheme in any letter case
      | way |
      | the scheme in lower case |
      | the scheme in capitals |

  @R-AUTH-2 @documented
  Scenario Outline: A wrong password written as <way> writes it is refused with the documented answer
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:ann},Y,N,{year}
      """
    When I send the file as "<way>" writes it, with a wrong password
    Then the status is 401
    And the answer is:
      """
      {"success": false, "summary": "Unauthorised. Check credentials."}
      """
    And the header "WWW-Authenticate" is "Basic realm=\"autosync\""
    And patron "{user:ann}" does not exist

    Examples:
      | way |
      | curl |
      | curl, waiting for 100 Continue |
      | PowerShell 7 |
      | .NET HttpClient |
      | Windows PowerShell 5.1 |
      | Python requests |
      | Java HttpClient |
      | a browser form |
      | lower-case header names |
      | a media type in capitals |
      | part headers in capitals |
      | a boundary that must be quoted |
      | a charset before the boundary |
      | a preamble and an epilogue |
      | a chunked body |
      | a CSV typed as Excel's |
      | a file name in filename* alone |
      | the scheme in lower case |
      | the scheme in capitals |
      | a query string |
      | cookies |
      | two file parts named file |

  @R-AUTH-3 @documented
  Scenario Outline: The non-admin account is refused whichever way it writes the request: <way>
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:ann},Y,N,{year}
      """
    When I send the file as "<way>" writes it, as the non-admin account
    Then the status is 401
    And the summary is "Unauthorised. Check credentials."
    And patron "{user:ann}" does not exist

    Examples:
      | way |
      | curl |
      | PowerShell 7 |
      | Windows PowerShell 5.1 |
      | the scheme in lower case |
      | a chunked body |

  @R-AUTH-2 @documented
  Scenario: A cookie is not a credential
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:ann},Y,N,{year}
      """
    When I send the file as "cookies and no credentials" writes it
    Then the status is 401
    And the summary is "Unauthorised. Check credentials."
    And patron "{user:ann}" does not exist

  @R-HTTP-4 @decided
  Scenario: A trailing slash names another path, and nothing is imported
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:ann},Y,N,{year}
      """
    When I send the file as "a trailing slash" writes it
    Then the status is 404
    And the answer is JSON
    And patron "{user:ann}" does not exist
