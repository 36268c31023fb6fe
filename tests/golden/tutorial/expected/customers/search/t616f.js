C360.tokens("616f",["aol",36]);
