C360.tokens("6c75",["lucknow",52]);
