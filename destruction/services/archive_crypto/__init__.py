"""The streaming core of archives: read an export, apply the field plan, encrypt it with age.

Nothing here loads a file whole: rows go from the upload through the csv module and pyrage's
`encrypt_io` in batches, so the plaintext CSV exists only in memory, a batch at a time, and is
never written to disk. Errors name the row (the header is row 1) and the column. The modules:
`keys` (custodians' recipients, the archive's identity and its envelope), `reading` (opening a
CSV or XLSX export), `plan` (the decision's field plan over the columns) and `encrypting`
(the formula-neutralised CSV encrypted as it streams, and decrypting it back).
"""
