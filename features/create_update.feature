Feature: Create versus update, and re-imports
  A school sends the same export night after night: patrons are matched by username,
  and an import never erases what it does not mention.

  @R-ROW-1 @documented
  Scenario: Importing the same file again updates every patron
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:a},Y,N,{year}
      {user:b},Y,Y,
      """
    When I upload the file
    Then the summary is "2 users processed. 2 users created. 0 users updated. 0 users failed."
    When I upload the file
    Then the summary is "2 users processed. 0 users created. 2 users updated. 0 users failed."

  @R-ROW-2 @decided
  Scenario: Usernames match whatever their letter case
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:eve},Y,N,{year}
      {USER:eve},N,,
      """
    When I upload the file
    Then the import succeeds
    And the summary is "2 users processed. 1 user created. 1 user updated. 0 users failed."

  @R-ROW-2 @decided @inspect
  Scenario: The spelling that created the patron is kept
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {User:eve},Y,N,{year}
      {USER:eve},N,,
      """
    When I upload the file
    Then the reference shows patron "{user:eve}" with:
      | field    | value      |
      | username | {User:eve} |
      | enabled  | false      |

  @R-ROW-9 @decided
  Scenario: A username twice in one file is created, then updated
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,formclass
      {user:dup},Y,N,{year},8A
      {user:dup},,,,8B
      """
    When I upload the file
    Then the status is 200
    And the summary is "2 users processed. 1 user created. 1 user updated. 0 users failed."

  @R-ROW-16 @decided
  Scenario: A blank cell keeps the patron's barcode
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear,librarybarcode
      {user:keep},Y,N,{year},{barcode:k1}
      """
    And a CSV file:
      """
      username,librarybarcode,formclass
      {user:keep},,10C
      """
    When I upload the file
    Then the import succeeds
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,librarybarcode
      {user:taker},Y,N,{year},{barcode:k1}
      """
    When I upload the file
    Then row 1 fails with "Field (libraryBarcode) value '{barcode:k1}' is already used by another patron."

  @R-ROW-16 @decided @inspect
  Scenario: Blank cells and absent columns change nothing
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear,givenname,emailaddress,formclass
      {user:keep},Y,N,{year},Kept,{email:keep},10B
      """
    And a CSV file:
      """
      username,givenname,emailaddress,formclass
      {user:keep},,,10C
      """
    When I upload the file
    Then the import succeeds
    And the reference shows patron "{user:keep}" with:
      | field          | value        |
      | givenname      | Kept         |
      | emailaddress   | {email:keep} |
      | formclass      | 10C          |
      | enabled        | true         |
      | graduationyear | {year}       |

  @R-ROW-18 @decided
  Scenario: A failed new row takes no barcode and creates no patron
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,librarybarcode,adminsystemid,emailaddress
      {user:bad},Y,N,{year},{barcode:f1},{adminid:f1},not-an-address
      """
    When I upload the file
    Then row 1 fails with "Field (emailAddress) is not a well-formed email address."
    And patron "{user:bad}" does not exist
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,librarybarcode,adminsystemid
      {user:good},Y,N,{year},{barcode:f1},{adminid:f1}
      """
    When I upload the file
    Then the import succeeds

  @R-ROW-18 @decided
  Scenario: A failed update keeps the patron's barcode and admin id
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear,librarybarcode,adminsystemid
      {user:keep},Y,N,{year},{barcode:old},{adminid:old}
      """
    And a CSV file:
      """
      username,librarybarcode,adminsystemid,gender
      {user:keep},{barcode:new},{adminid:new},Female
      """
    When I upload the file
    Then row 1 fails with "Field (gender) must be M, F or blank."
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,librarybarcode,adminsystemid
      {user:other},Y,N,{year},{barcode:new},{adminid:new}
      """
    When I upload the file
    Then the import succeeds
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,librarybarcode,adminsystemid
      {user:third},Y,N,{year},{barcode:old},{adminid:old}
      """
    When I upload the file
    Then row 1 fails with these reasons:
      | Field (libraryBarcode) value '{barcode:old}' is already used by another patron. |
      | Field (adminSystemId) value '{adminid:old}' is already used by another patron.  |

  @R-ROW-18 @decided @inspect
  Scenario: A failed update leaves every field as it was
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear,givenname,formclass
      {user:keep},Y,N,{year},Kept,10B
      """
    And a CSV file:
      """
      username,givenname,formclass,emailaddress
      {user:keep},Changed,10C,not-an-address
      """
    When I upload the file
    Then row 1 fails
    And the reference shows patron "{user:keep}" with:
      | field     | value |
      | givenname | Kept  |
      | formclass | 10B   |
