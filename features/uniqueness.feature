Feature: Unique barcodes and admin system ids
  A library barcode must be unique to one patron; so must an admin system id.

  @R-ROW-10 @documented
  Scenario: A barcode already held by another patron fails the row
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear,librarybarcode
      {user:owner},Y,N,{year},{barcode:b1}
      """
    And a CSV file:
      """
      username,enabled,staffmember,graduationyear,librarybarcode
      {user:other},Y,N,{year},{barcode:b1}
      {user:owner},Y,N,{year},{barcode:b1}
      """
    When I upload the file
    Then row 1 fails with "Field (libraryBarcode) value '{barcode:b1}' is already used by another patron."
    And row 2 is "User Updated"

  @R-ROW-10 @documented
  Scenario: Two new patrons in one file cannot share a barcode
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,librarybarcode
      {user:third},Y,N,{year},{barcode:b2}
      {user:fourth},Y,N,{year},{barcode:b2}
      """
    When I upload the file
    Then row 1 is "User Created"
    And row 2 fails with "Field (libraryBarcode) value '{barcode:b2}' is already used by another patron."

  @R-ROW-11 @decided
  Scenario: An admin system id already held by another patron fails the row
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear,adminsystemid
      {user:owner},Y,N,{year},{adminid:s1}
      """
    And a CSV file:
      """
      username,enabled,staffmember,graduationyear,adminsystemid
      {user:other},Y,N,{year},{adminid:s1}
      {user:owner},Y,N,{year},{adminid:s1}
      """
    When I upload the file
    Then row 1 fails with "Field (adminSystemId) value '{adminid:s1}' is already used by another patron."
    And row 2 is "User Updated"

  # Edges: the update path, values moved and swapped inside one file, the
  # admin id inside one file, padding.

  @R-ROW-10 @documented
  Scenario: An existing patron cannot take another patron's barcode
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear,librarybarcode
      {user:owner},Y,N,{year},{barcode:b1}
      {user:other},Y,N,{year},{barcode:b2}
      """
    And a CSV file:
      """
      username,librarybarcode
      {user:other},{barcode:b1}
      """
    When I upload the file
    Then row 1 fails with "Field (libraryBarcode) value '{barcode:b1}' is already used by another patron."

  @R-ROW-10 @decided
  Scenario: A padded barcode is the same barcode
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear,librarybarcode
      {user:owner},Y,N,{year},{barcode:b1}
      """
    And a CSV file:
      """
      username,enabled,staffmember,graduationyear,librarybarcode
      {user:other},Y,N,{year},{tab}{barcode:b1} 
      """
    When I upload the file
    Then row 1 fails with "Field (libraryBarcode) value '{barcode:b1}' is already used by another patron."

  @R-ROW-10 @R-ROW-11 @decided
  Scenario: A barcode and an admin id moved to another patron later in the same file are free
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear,librarybarcode,adminsystemid
      {user:a},Y,N,{year},{barcode:old},{adminid:old}
      """
    And a CSV file:
      """
      username,enabled,staffmember,graduationyear,librarybarcode,adminsystemid
      {user:a},,,,{barcode:new},{adminid:new}
      {user:b},Y,N,{year},{barcode:old},{adminid:old}
      """
    When I upload the file
    Then the import succeeds
    And the summary is "2 users processed. 1 user created. 1 user updated. 0 users failed."

  @R-ROW-10 @decided
  Scenario: Two patrons cannot swap barcodes in one file, row by row
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear,librarybarcode
      {user:a},Y,N,{year},{barcode:a}
      {user:b},Y,N,{year},{barcode:b}
      """
    And a CSV file:
      """
      username,librarybarcode
      {user:a},{barcode:b}
      {user:b},{barcode:a}
      """
    When I upload the file
    Then row 1 fails with "Field (libraryBarcode) value '{barcode:b}' is already used by another patron."
    And row 2 fails with "Field (libraryBarcode) value '{barcode:a}' is already used by another patron."

  @R-ROW-11 @decided
  Scenario: Two new patrons in one file cannot share an admin system id
    Given a CSV file:
      """
      username,enabled,staffmember,graduationyear,adminsystemid
      {user:third},Y,N,{year},{adminid:s2}
      {user:fourth},Y,N,{year},{adminid:s2}
      """
    When I upload the file
    Then row 1 is "User Created"
    And row 2 fails with "Field (adminSystemId) value '{adminid:s2}' is already used by another patron."

  @R-ROW-11 @decided
  Scenario: An existing patron cannot take another patron's admin system id
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear,adminsystemid
      {user:owner},Y,N,{year},{adminid:s1}
      {user:other},Y,N,{year},{adminid:s2}
      """
    And a CSV file:
      """
      username,adminsystemid
      {user:other},{adminid:s1}
      """
    When I upload the file
    Then row 1 fails with "Field (adminSystemId) value '{adminid:s1}' is already used by another patron."

  @R-ROW-11 @decided
  Scenario: A patron written in another letter case keeps its own admin system id
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear,adminsystemid
      {user:owner},Y,N,{year},{adminid:s1}
      """
    And a CSV file:
      """
      username,adminsystemid,formclass
      {USER:owner},{adminid:s1},10C
      """
    When I upload the file
    Then the import succeeds
    And row 1 is "User Updated"

  @R-ROW-10 @decided
  Scenario: An existing patron cannot take the barcode a new patron took earlier in the file
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear
      {user:old},Y,N,{year}
      """
    And a CSV file:
      """
      username,enabled,staffmember,graduationyear,librarybarcode
      {user:new},Y,N,{year},{barcode:n1}
      {user:old},,,,{barcode:n1}
      """
    When I upload the file
    Then row 1 is "User Created"
    And row 2 fails with "Field (libraryBarcode) value '{barcode:n1}' is already used by another patron."

  @R-ROW-10 @R-ROW-11 @decided
  Scenario: A row that takes both a barcode and an admin id gives both reasons
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear,librarybarcode,adminsystemid
      {user:owner},Y,N,{year},{barcode:b1},{adminid:s1}
      """
    And a CSV file:
      """
      username,enabled,staffmember,graduationyear,librarybarcode,adminsystemid
      {user:other},Y,N,{year},{barcode:b1},{adminid:s1}
      """
    When I upload the file
    Then row 1 fails with these reasons:
      | Field (libraryBarcode) value '{barcode:b1}' is already used by another patron. |
      | Field (adminSystemId) value '{adminid:s1}' is already used by another patron.  |

  @R-ROW-10 @decided
  Scenario: A barcode in another letter case is another barcode
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear,librarybarcode
      {user:owner},Y,N,{year},BC-{USER:code}
      """
    And a CSV file:
      """
      username,enabled,staffmember,graduationyear,librarybarcode
      {user:other},Y,N,{year},bc-{user:code}
      """
    When I upload the file
    Then the import succeeds
    And the summary is "1 user processed. 1 user created. 0 users updated. 0 users failed."

  @R-ROW-10 @decided
  Scenario: A barcode of digits is text: leading zeros make another barcode
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear,librarybarcode
      {user:owner},Y,N,{year},{digits:b1}
      """
    And a CSV file:
      """
      username,enabled,staffmember,graduationyear,librarybarcode
      {user:other},Y,N,{year},00{digits:b1}
      """
    When I upload the file
    Then the import succeeds
    And the summary is "1 user processed. 1 user created. 0 users updated. 0 users failed."

  @R-ROW-10 @decided
  Scenario: A barcode and an admin id never collide with each other
    Given these patrons exist:
      """
      username,enabled,staffmember,graduationyear,librarybarcode,adminsystemid
      {user:p1},Y,N,{year},{barcode:x1},{adminid:x2}
      """
    And a CSV file:
      """
      username,enabled,staffmember,graduationyear,librarybarcode,adminsystemid
      {user:p2},Y,N,{year},{adminid:x2},{barcode:x1}
      {user:p3},Y,N,{year},SAME-{USER:p3},SAME-{USER:p3}
      """
    When I upload the file
    Then the import succeeds
    And the summary is "2 users processed. 2 users created. 0 users updated. 0 users failed."
