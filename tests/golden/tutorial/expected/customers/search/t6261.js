C360.tokens("6261",["bangalore",12]);
