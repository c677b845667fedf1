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

  @R-RES-3 @decided
  Scenario: The reasons of the rules that need the patron take their column's place
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,gender
      {user:np},,N,{year},Q
      """
    When I upload the file
    Then row 1 fails with these reasons:
      | Field (enabled) is mandatory for new users. |
      | Field (gender) must be M, F or blank.       |

  @R-RES-4 @decided
  Scenario: A processed import answers 200 with details keys in numeric order
    Given 11 new students in a CSV file, the last with the year "9999"
    When I upload the file
    Then the status is 200
    And success is false
    And the details keys are in numeric order
    And row 10 is "User Created"
    And row 11 fails

  # Edges: counts past the small ones, blank lines, and which failures make
  # success false.

  @R-RES-2 @documented
  Scenario Outline: The summary of <updates> updates, <new> new and <failing> failing rows
    Given a CSV file of <updates> updates, <new> new students and <failing> rows without a username
    When I upload the file
    Then the summary is "<summary>"

    Examples:
      | updates | new | failing | summary                                                                  |
      | 11      | 21  | 1       | 33 users processed. 21 users created. 11 users updated. 1 user failed.   |
      | 1       | 0   | 21      | 22 users processed. 0 users created. 1 user updated. 21 users failed.    |
      | 0       | 101 | 0       | 101 users processed. 101 users created. 0 users updated. 0 users failed. |
      | 0       | 1000 | 0      | 1000 users processed. 1000 users created. 0 users updated. 0 users failed. |

  @R-CSV-5 @decided
  Scenario: Blank lines are not counted as processed
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear

      {user:a},Y,N,{year}

      {user:b},Y,N,{year}

      """
    When I upload the file
    Then the summary is "2 users processed. 2 users created. 0 users updated. 0 users failed."

  @R-RES-1 @documented
  Scenario: An import whose only failures are updates is not a success
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear
      {user:a},Y,N,{year}
      {user:b},Y,N,{year}
      """
    And a CSV file:
      """
      username,enabled,staffmember,graduationyear,emailaddress
      {user:a},,,,a.example.edu
      {user:b},,,,{email:b}
      {user:new},Y,N,{year},{email:new}
      """
    When I upload the file
    Then success is false
    And the summary is "3 users processed. 1 user created. 1 user updated. 1 user failed."
    And the details are:
      | row | outcome      |
      | 1   | fails        |
      | 2   | User Updated |
      | 3   | User Created |

  @R-CSV-7 @decided
  Scenario: An import whose only failure is a row of the wrong width is not a success
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:a},Y,N,{year}
      {user:b},Y,N
      """
    When I upload the file
    Then success is false
    And the summary is "2 users processed. 1 user created. 0 users updated. 1 user failed."

  @R-RES-1 @R-RES-3 @documented
  Scenario: An import of updates only is a success without details
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear
      {user:a},Y,N,{year}
      """
    And a CSV file:
      """
      username,formclass
      {user:a},8C
      """
    When I upload the file
    Then success is true
    And there are no details

  @R-RES-3 @documented
  Scenario: Every row of a failed import of twelve rows is in the details
    Given 12 new students in a CSV file, the last with the year "1"
    When I upload the file
    Then the details are:
      | row | outcome      |
      | 1   | User Created |
      | 2   | User Created |
      | 3   | User Created |
      | 4   | User Created |
      | 5   | User Created |
      | 6   | User Created |
      | 7   | User Created |
      | 8   | User Created |
      | 9   | User Created |
      | 10  | User Created |
      | 11  | User Created |
      | 12  | fails        |

  @R-RES-3 @decided
  Scenario: A row without a username is judged by its cells alone, every reason in column order
    Given a CSV file:
      """
      username,enabled,staffmember,givenname,emailaddress,graduationyear,academiclevel,gender,password,presentationgrouplabel
      ,maybe,N,"a{tab}b",jane@@example.edu,1800,Z-none,X,{repeat:p:73},No such group
      """
    When I upload the file
    Then row 1 fails with these reasons:
      | Field (username) is mandatory.                                                    |
      | Field (enabled) is not a valid boolean; use Y, yes, true, 1, N, no, false or 0.   |
      | Field (givenName) contains control characters.                                    |
      | Field (emailAddress) is not a well-formed email address.                          |
      | Field (graduationYear) is not a four-digit year.                                  |
      | Field (academicLevel) value 'Z-none' is not a declared academic level.            |
      | Field (gender) must be M, F or blank.                                             |
      | Field (password) is longer than 72 bytes.                                         |
      | Field (presentationGroupLabel) value 'No such group' is not a current presentation group. |

  @R-RES-3 @decided
  Scenario: A row without a username skips the rules that need the patron
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear,librarybarcode,adminsystemid
      {user:owner},Y,N,{year},{barcode:b1},{adminid:a1}
      """
    And a CSV file:
      """
      username,enabled,staffmember,graduationyear,librarybarcode,adminsystemid
      ,,,,,
      ,Y,Y,{year},,
      ,Y,N,,,
      ,Y,N,{year},{barcode:b1},{adminid:a1}
      """
    When I upload the file
    Then row 1 fails with "Field (username) is mandatory."
    And row 2 fails with "Field (username) is mandatory."
    And row 3 fails with "Field (username) is mandatory."
    And row 4 fails with "Field (username) is mandatory."

  @R-RES-3 @decided
  Scenario: A staff row's year or level gets applies to students only, whatever else is wrong with it
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,academiclevel
      {user:t},Y,Y,20x0,"{level}{char:U+200B}"
      {user:u},Y,Y,1800,{repeat:Z:256}
      """
    When I upload the file
    Then row 1 fails with these reasons:
      | Field (graduationYear) applies to students only; leave it blank for staff. |
      | Field (academicLevel) applies to students only; leave it blank for staff.  |
    And row 2 fails with these reasons:
      | Field (graduationYear) applies to students only; leave it blank for staff. |
      | Field (academicLevel) applies to students only; leave it blank for staff.  |

  @R-RES-3 @decided
  Scenario: Control characters or length come first, and the field's other checks are skipped
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,emailaddress,academiclevel,presentationgrouplabel
      {user:s},Y,N,{year},"jane{char:U+200B}@@example.edu",{repeat:Z:256},"No{tab}such group"
      """
    When I upload the file
    Then row 1 fails with these reasons:
      | Field (emailAddress) contains control characters.          |
      | Field (academicLevel) is longer than 255 characters.       |
      | Field (presentationGroupLabel) contains control characters. |
