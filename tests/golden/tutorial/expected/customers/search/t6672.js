C360.tokens("6672",["francisco",8]);
