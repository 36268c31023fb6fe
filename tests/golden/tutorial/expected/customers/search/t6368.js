C360.tokens("6368",["chennai",24]);
