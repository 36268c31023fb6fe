C360.tokens("736f",["sophie",33]);
