C360.tokens("6672",["francisco",12]);
