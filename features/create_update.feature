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

  @R-ROW-2 @decided @inspect
  Scenario: The spelling of the row that created the patron is kept, not of a failed row before it
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {User:eve},maybe,N,{year}
      {USER:eve},Y,N,{year}
      """
    When I upload the file
    Then row 1 fails
    And row 2 is "User Created"
    And the reference shows patron "{user:eve}" with:
      | field    | value      |
      | username | {USER:eve} |

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

  @R-ROW-16 @decided
  Scenario: A row that gives the year or the level alone keeps the other
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear,academiclevel
      {user:lev},Y,N,{year},{level}
      {user:yr},Y,N,{year},{level}
      """
    And a CSV file:
      """
      username,graduationyear,academiclevel
      {user:lev},,{level}
      {user:yr},{year},
      """
    When I upload the file
    Then the import succeeds
    And the reference shows patron "{user:lev}" with:
      | field          | value   |
      | graduationyear | {year}  |
      | academiclevel  | {level} |
    And the reference shows patron "{user:yr}" with:
      | field          | value   |
      | graduationyear | {year}  |
      | academiclevel  | {level} |

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

  # Edges: letter case across files, values moved or swapped inside one
  # file, failed rows followed by rows that reuse their values.

  @R-ROW-2 @decided
  Scenario: A later file in another letter case updates the patron
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear
      {user:émile},Y,N,{year}
      """
    And a CSV file:
      """
      username,enabled
      {USER:émile},N
      """
    When I upload the file
    Then the import succeeds
    And the summary is "1 user processed. 0 users created. 1 user updated. 0 users failed."

  @R-ROW-2 @decided @inspect
  Scenario: A later file in another letter case keeps the creating spelling
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear
      {User:eve},Y,N,{year}
      """
    And a CSV file:
      """
      username,formclass
      {USER:eve},9C
      """
    When I upload the file
    Then the import succeeds
    And the reference shows patron "{user:eve}" with:
      | field     | value      |
      | username  | {User:eve} |
      | formclass | 9C         |

  @R-ROW-9 @R-ROW-2 @decided
  Scenario: A username twice in one file, in another letter case, is created then updated
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,librarybarcode
      {user:dup},Y,N,{year},{barcode:d1}
      {USER:dup},,,,{barcode:d2}
      {user:other},Y,N,{year},{barcode:d1}
      """
    When I upload the file
    Then the summary is "3 users processed. 2 users created. 1 user updated. 0 users failed."

  @R-ROW-9 @decided
  Scenario: A username whose first row failed is created by its second
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear
      {user:dup},maybe,N,{year}
      {user:dup},Y,N,{year}
      {user:dup},N,,
      """
    When I upload the file
    Then row 1 fails
    And row 2 is "User Created"
    And row 3 is "User Updated"

  @R-ROW-16 @decided @inspect
  Scenario: An existing patron updated twice in one file keeps what the first row changed
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear,givenname,formclass
      {user:ann},Y,N,{year},Ann,8A
      """
    And a CSV file:
      """
      username,givenname,formclass
      {user:ann},Anna,
      {user:ann},,9B
      """
    When I upload the file
    Then the import succeeds
    And the reference shows patron "{user:ann}" with:
      | field     | value |
      | givenname | Anna  |
      | formclass | 9B    |

  @R-ROW-16 @decided
  Scenario: A blank cell keeps the patron's admin system id
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear,adminsystemid
      {user:keep},Y,N,{year},{adminid:k1}
      """
    And a CSV file:
      """
      username,adminsystemid,formclass
      {user:keep}, {tab} ,10C
      """
    When I upload the file
    Then the import succeeds
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,adminsystemid
      {user:taker},Y,N,{year},{adminid:k1}
      """
    When I upload the file
    Then row 1 fails with "Field (adminSystemId) value '{adminid:k1}' is already used by another patron."

  @R-ROW-16 @decided
  Scenario: A blank staffmember cell keeps a staff member staff
    Given these patrons exist:
      """
      username,enabled,staffmember
      {user:t},Y,Y
      """
    And a CSV file:
      """
      username,staffmember,graduationyear
      {user:t},,
      """
    When I upload the file
    Then the import succeeds
    Given a CSV file:
      """
      username,graduationyear
      {user:t},{year}
      """
    When I upload the file
    Then row 1 fails with "Field (graduationYear) applies to students only; leave it blank for staff."

  @R-ROW-16 @decided
  Scenario: An absent staffmember column keeps a staff member staff
    Given these patrons exist:
      """
      username,enabled,staffmember
      {user:t},Y,Y
      """
    And a CSV file:
      """
      username,formclass
      {user:t},10C
      """
    When I upload the file
    Then the import succeeds
    Given a CSV file:
      """
      username,academiclevel
      {user:t},{level}
      """
    When I upload the file
    Then row 1 fails with "Field (academicLevel) applies to students only; leave it blank for staff."

  @R-ROW-16 @decided @inspect
  Scenario Outline: Cells of <what> keep every field of an existing patron
    Given these patrons exist:
      """
      username,enabled,staffmember,givenname,surname,middlename,preferredname,emailaddress,graduationyear,academiclevel,librarybarcode,adminsystemid,gender,formclass,presentationgrouplabel
      {user:keep},N,N,Ann,Tane,Mere,Annie,{email:keep},{year},{level},{barcode:k},{adminid:k},F,7A,{group}
      """
    And a CSV file:
      """
      username,enabled,staffmember,givenname,surname,middlename,preferredname,emailaddress,graduationyear,academiclevel,librarybarcode,adminsystemid,gender,password,formclass,presentationgrouplabel
      {user:keep},<v>,<v>,<v>,<v>,<v>,<v>,<v>,<v>,<v>,<v>,<v>,<v>,<v>,<v>,<v>
      """
    When I upload the file
    Then the import succeeds
    And the reference shows patron "{user:keep}" with:
      | field                  | value        |
      | enabled                | false        |
      | staffmember            | false        |
      | givenname              | Ann          |
      | surname                | Tane         |
      | middlename             | Mere         |
      | preferredname          | Annie        |
      | emailaddress           | {email:keep} |
      | graduationyear         | {year}       |
      | academiclevel          | {level}      |
      | librarybarcode         | {barcode:k}  |
      | adminsystemid          | {adminid:k}  |
      | gender                 | F            |
      | formclass              | 7A           |
      | presentationgrouplabel | {group}      |

    Examples:
      | what        | v           |
      | nothing     |             |
      | white space | {tab} {tab} |

  @R-ROW-18 @decided
  Scenario: A failed row's barcode and admin id are free for a later row of the same file
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,librarybarcode,adminsystemid,gender
      {user:bad},Y,N,{year},{barcode:f1},{adminid:f1},Q
      {user:good},Y,N,{year},{barcode:f1},{adminid:f1},F
      """
    When I upload the file
    Then row 1 fails with "Field (gender) must be M, F or blank."
    And row 2 is "User Created"

  @R-ROW-18 @decided
  Scenario: A failed update of a patron created earlier in the file changes nothing
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,librarybarcode
      {user:a},Y,N,{year},{barcode:a1}
      {user:a},,,,{barcode:a2}{tab}x
      {user:b},Y,N,{year},{barcode:a1}
      """
    When I upload the file
    Then row 1 is "User Created"
    And row 2 fails with "Field (libraryBarcode) contains control characters."
    And row 3 fails with "Field (libraryBarcode) value '{barcode:a1}' is already used by another patron."
