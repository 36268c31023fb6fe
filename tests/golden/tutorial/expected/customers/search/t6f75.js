C360.tokens("6f75",["outlook",8]);
