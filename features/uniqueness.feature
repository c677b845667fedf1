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
