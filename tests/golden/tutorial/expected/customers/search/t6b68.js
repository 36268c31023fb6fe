C360.tokens("6b68",["khan",36,"khan",52]);
